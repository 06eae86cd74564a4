cat <<EOF
value: $HOME
$(echo sub)
EOF
cat <<'Q'
literal $HOME
Q
cat <<-T
	tabbed
	T

read -r a b <<< "one two three"; echo "$a/$b"; tr a-z A-Z <<< hello

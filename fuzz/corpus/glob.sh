echo *; echo ?; echo [abc]*; shopt -s nullglob; echo none*; shopt -s extglob; echo @(a|b)

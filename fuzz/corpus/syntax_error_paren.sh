echo (unclosed
if then fi

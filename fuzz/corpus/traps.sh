trap 'echo exiting $?' EXIT; trap 'echo err' ERR; false; f() { return 2; }; f

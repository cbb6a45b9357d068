from tuan.cli import main

main()

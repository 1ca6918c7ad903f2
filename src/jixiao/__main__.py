from jixiao.startup import main

main()

import ComproCLI

KoniCompro.main()

import ComproCLI

await KoniCompro.main()

import ComproCLI

await KoniCompro.runFromCommandLine()

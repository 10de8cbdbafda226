import ComproCLI

/// The `koni-compro` executable: everything is in ComproCLI.
@main
struct KoniComproMain {
    static func main() async {
        await KoniCompro.main()
    }
}

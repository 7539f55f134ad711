module shibafu.dev/examples/go-web

go 1.22

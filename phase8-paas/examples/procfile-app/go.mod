module shibafu.dev/examples/procfile-app

go 1.22

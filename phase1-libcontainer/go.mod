module shibafu.dev/phase1-libcontainer

go 1.26.8

require shibafu.dev/phase0-runc v0.0.0

replace shibafu.dev/phase0-runc => ../phase0-runc

package main

/*
#cgo CFLAGS: -DTB_NO_PROTOTYPES
#include "tidebreak.h"
*/
import "C"

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
)

// version and commit are set when the Python package builds the library
// (setup.py: go build -ldflags "-X main.version=… -X main.commit=…"), so
// the library carries the package's version number. A plain go build
// leaves version "dev" and takes the commit from Go's VCS stamp, if any.
var (
	version = "dev"
	commit  = ""
)

// BuildInfo is what tb_build_info reports, as JSON.
type BuildInfo struct {
	Version  string `json:"version"`
	ABI      int    `json:"abi"`
	Go       string `json:"go"`
	Platform string `json:"platform"`
	Commit   string `json:"commit"`
}

func buildInfo() BuildInfo {
	b := BuildInfo{Version: version, ABI: abiVersion, Go: runtime.Version(),
		Platform: runtime.GOOS + "/" + runtime.GOARCH, Commit: commit}
	if b.Commit == "" {
		b.Commit = "unknown"
		if info, ok := debug.ReadBuildInfo(); ok {
			var rev, dirty string
			for _, s := range info.Settings {
				switch {
				case s.Key == "vcs.revision" && len(s.Value) >= 12:
					rev = s.Value[:12]
				case s.Key == "vcs.modified" && s.Value == "true":
					dirty = "-dirty"
				}
			}
			if rev != "" {
				b.Commit = rev + dirty
			}
		}
	}
	return b
}

// buildInfoText is tb_build_info's answer: made once, never freed.
var buildInfoText = func() *C.char {
	data, err := json.Marshal(buildInfo())
	if err != nil {
		panic(err) // a struct of strings and an int always encodes
	}
	return C.CString(string(data))
}()

//export tb_build_info
func tb_build_info() *C.char { return buildInfoText }

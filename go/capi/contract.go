package main

/*
#cgo CFLAGS: -DTB_NO_PROTOTYPES
#include "tidebreak.h"
*/
import "C"

import (
	"encoding/json"

	"github.com/tidebreak/tidebreak/go/core/rlenv"
)

//export tb_package_parse
func tb_package_parse(pkg *C.char, n C.int64_t, flags C.int32_t, outBlob *C.uint64_t, outLen *C.int64_t) (rc C.int32_t) {
	const fn = "tb_package_parse"
	defer guard(fn, &rc)
	if outBlob == nil || outLen == nil {
		return fail(tbArg, "%s: out pointer is NULL", fn)
	}
	if flags&^(C.TB_PARSE_LENIENT|C.TB_PARSE_RANDOMIZE) != 0 {
		return fail(tbArg, "%s: unknown flags %#x", fn, int32(flags))
	}
	data, rc := goBytes(fn, "package_json", pkg, n)
	if rc != tbOK {
		return rc
	}
	report := rlenv.Check(data, flags&C.TB_PARSE_LENIENT != 0, flags&C.TB_PARSE_RANDOMIZE != 0)
	out, err := json.Marshal(&report)
	if err != nil {
		return fail(tbPanic, "%s: encoding the report: %v", fn, err)
	}
	*outBlob = C.uint64_t(handles.add(&object{kind: kindBlob, blob: out}))
	*outLen = C.int64_t(len(out))
	return tbOK
}

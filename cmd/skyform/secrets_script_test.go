package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"
)

// nosecret SECRET PATH... fails when SECRET appears in any file under the
// paths (directories are walked, hidden ones and .terraform included), and
// says which files it read, so a walk over nothing cannot pass unnoticed.
// With !, it wants SECRET somewhere (the test's own check that it looks in
// the right place).
func cmdNoSecret(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: [!] nosecret SECRET PATH...")
	}
	secret := []byte(args[0])
	read, found := 0, []string{}
	for _, p := range args[1:] {
		err := filepath.WalkDir(ts.MkAbs(p), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !d.Type().IsRegular() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			read++
			if bytes.Contains(data, secret) {
				found = append(found, path)
			}
			return nil
		})
		ts.Check(err)
	}
	ts.Logf("nosecret: read %d files", read)
	if read == 0 {
		ts.Fatalf("nosecret: no file under %v", args[1:])
	}
	switch {
	case neg && len(found) == 0:
		ts.Fatalf("%q is in none of the %d files", args[0], read)
	case !neg && len(found) > 0:
		ts.Fatalf("%q found in %v", args[0], found)
	}
}

package pack

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Archive is a packaged source directory.
type Archive struct {
	Data []byte
	// SHA256 is the base64 digest of Data; SHA256Hex the same in hex.
	SHA256    string
	SHA256Hex string
}

// skipped are paths no function needs and that would make builds differ
// between machines.
var skippedDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, "__pycache__": true, ".venv": true, ".skyform": true, ".terraform": true}

// Zip packages dir. Entries are sorted by path, carry a fixed time
// (1980-01-01, the zip epoch) and a mode of 0755 for executables and 0644
// otherwise; nothing else of the file system leaks into the bytes.
func Zip(dir string) (*Archive, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".pyc") || d.Name() == ".DS_Store" {
			return nil
		}
		paths = append(paths, p)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("cannot read function source %s: %w", dir, err)
	}
	sort.Strings(paths)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read function source: %w", err)
		}
		if !st.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("cannot read function source: %w", err)
		}
		mode := fs.FileMode(0o644)
		if st.Mode()&0o111 != 0 {
			mode = 0o755
		}
		h := &zip.FileHeader{Name: filepath.ToSlash(rel), Method: zip.Deflate}
		// 1980-01-01 00:00 in MS-DOS form; leaving Modified zero keeps the
		// extended-timestamp field (and so the real time) out of the archive.
		h.ModifiedDate = 1<<5 | 1
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, fmt.Errorf("cannot package function source: %w", err)
		}
		if _, err := w.Write(data); err != nil {
			return nil, fmt.Errorf("cannot package function source: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("cannot package function source: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	return &Archive{Data: buf.Bytes(), SHA256: base64.StdEncoding.EncodeToString(sum[:]), SHA256Hex: hex.EncodeToString(sum[:])}, nil
}

package hygiene

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// executableMagic are the first bytes of the executable formats Go builds:
// ELF (Linux), Mach-O (macOS, both byte orders and fat), PE (Windows).
var executableMagic = [][]byte{
	{0x7f, 'E', 'L', 'F'},
	{0xfe, 0xed, 0xfa, 0xce}, {0xfe, 0xed, 0xfa, 0xcf},
	{0xce, 0xfa, 0xed, 0xfe}, {0xcf, 0xfa, 0xed, 0xfe},
	{0xca, 0xfe, 0xba, 0xbe},
	{'M', 'Z'},
}

// maxTracked is the largest file the repository should hold; the biggest
// legitimate ones are the offline providers' cut schemas.
const maxTracked = 4 << 20

func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		if _, statErr := os.Stat(filepath.Join("..", "..", ".git")); os.IsNotExist(statErr) {
			t.Skip("not a git checkout: nothing is tracked")
		}
		t.Fatalf("git rev-parse: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestNoBuildOutputsTracked fails when a compiled binary, a test binary or
// an oversized file is tracked: a newcomer running ./skyform must get the
// tool they build, not a stale one.
func TestNoBuildOutputsTracked(t *testing.T) {
	root := repoRoot(t)
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if name == "" {
			continue
		}
		path := filepath.Join(root, name)
		info, err := os.Lstat(path)
		if err != nil {
			// Deleted in the work tree but still in the index: git status shows it.
			continue
		}
		if !info.Mode().IsRegular() {
			continue
		}
		if info.Size() > maxTracked {
			t.Errorf("%s is tracked and %d bytes: build outputs and data dumps do not belong in the repository", name, info.Size())
		}
		head := make([]byte, 4)
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := f.Read(head)
		f.Close()
		for _, magic := range executableMagic {
			if n >= len(magic) && bytes.Equal(head[:len(magic)], magic) {
				t.Errorf("%s is a tracked executable: remove it (git rm --cached) and ignore it in .gitignore", name)
			}
		}
	}
}

// TestBuildOutputsIgnored checks that what `make build` and `go test -c`
// write is ignored, so it cannot be added by accident.
func TestBuildOutputsIgnored(t *testing.T) {
	root := repoRoot(t)
	for _, name := range []string{"skyform", "bin/skyform", "bin/terraform", "compiler.test", "out/demo/aws/main.tf"} {
		cmd := exec.Command("git", "check-ignore", "-q", "--no-index", name)
		cmd.Dir = root
		if err := cmd.Run(); err != nil {
			t.Errorf("%s is not ignored by .gitignore", name)
		}
	}
}

package offline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Layout of the directory Install writes.
const (
	mirrorDir    = "mirror"
	cliConfigRel = "terraform.rc"
	// exeRecord names the executable a mirror launches; its presence marks
	// a directory as one Install wrote.
	exeRecord = "executable"
)

// Install writes under dir a filesystem mirror holding the offline aws,
// google and azurerm providers, and a terraform CLI configuration that
// installs those three from the mirror and nothing from anywhere else. It
// returns the path of that configuration, for TF_CLI_CONFIG_FILE.
//
// Each mirror entry is a small launcher script that execs this process's
// executable with ProviderEnv set, so whatever embeds this package (the
// skyform binary, a test binary, tfcheck) is the provider; that executable
// must call ServeIfRequested first thing.
//
// Each executable gets its own subdirectory of dir, named by a digest of
// its path. Terraform records the launcher's checksum in the lock file and
// checks it on every command, so a launcher that another executable
// rewrote under a running workdir would break it; with one mirror per
// executable, a shared dir (a user cache) is safe for any number of
// different skyform or test binaries at once. Subdirectories whose
// executable no longer exists (finished test binaries) are removed.
//
// Install is idempotent and safe to call concurrently, from goroutines or
// processes, on the same dir: a file that already has the right content is
// left alone, anything else is written to a temporary file and renamed into
// place.
func Install(dir string) (cliConfigFile string, err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot install offline providers: cannot find this executable: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return "", fmt.Errorf("cannot install offline providers: %w", err)
	}
	return installFor(dir, exe)
}

func installFor(dir, exe string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cannot install offline providers: %w", err)
	}
	sum := sha256.Sum256([]byte(exe))
	key := hex.EncodeToString(sum[:8])
	root := filepath.Join(dir, key)
	cfg, err := install(root, exe)
	if err != nil {
		return "", err
	}
	// Recorded last: a directory without the record is never pruned.
	if err := writeFile(root, filepath.Join(root, exeRecord), []byte(exe+"\n"), 0o644); err != nil {
		return "", fmt.Errorf("cannot install offline providers in %s: %w", root, err)
	}
	prune(dir, key)
	return cfg, nil
}

// prune removes the mirrors under dir, other than keep, whose executable
// is gone. It is best effort: a mirror it cannot judge or remove stays.
func prune(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == keep {
			continue
		}
		rec, err := os.ReadFile(filepath.Join(dir, e.Name(), exeRecord))
		if err != nil {
			continue
		}
		if _, err := os.Stat(strings.TrimSpace(string(rec))); errors.Is(err, fs.ErrNotExist) {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

func install(dir, exe string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("cannot install offline providers: %w", err)
	}
	fail := func(err error) (string, error) {
		return "", fmt.Errorf("cannot install offline providers in %s: %w", dir, err)
	}
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, p := range Providers {
		// The unpacked layout: HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET/.
		pkg := filepath.Join(dir, mirrorDir, filepath.FromSlash(p.Address().String()), p.Version, platform)
		bin := filepath.Join(pkg, "terraform-provider-"+p.Name+"_v"+p.Version)
		if err := writeFile(dir, bin, launcher(p, exe), 0o755); err != nil {
			return fail(err)
		}
	}
	cfg := filepath.Join(dir, cliConfigRel)
	if err := writeFile(dir, cfg, cliConfig(dir), 0o644); err != nil {
		return fail(err)
	}
	return cfg, nil
}

// launcher is the mirror entry for p. A script rather than a copy of the
// executable (tens of megabytes, hashed by terraform on every init) or a
// symlink to it (terraform hashes the target, so every rebuild changes the
// lock file): a few hundred bytes whose checksum changes only when the
// executable moves.
//
// GORACE: a binary built with -race (go test -race) otherwise sleeps a
// second at exit, and terraform waits for every provider process it stops;
// a caller's own GORACE settings come after and win.
func launcher(p Provider, exe string) []byte {
	return []byte(fmt.Sprintf("#!/bin/sh\n# Offline %s provider %s, served by skyform (internal/offline).\n"+
		"GORACE=\"atexit_sleep_ms=0 ${GORACE-}\" %s=%s exec %s \"$@\"\n",
		p.Source(), p.Version, ProviderEnv, p.Name, shellQuote(exe)))
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cliConfig is the terraform CLI configuration for a mirror in dir.
// Without a direct block terraform installs nothing else, so a module that
// needs another provider fails at init instead of reaching the network;
// disable_checkpoint stops the version check.
//
// There is deliberately no plugin_cache_dir. For an unpacked local mirror
// terraform links the working directory straight to the mirror, which is
// already the cache; with a cache it copies each package into it first, and
// that copy is not safe for concurrent inits (measured: 16 parallel inits
// sharing one cache fail with "file exists" or "not detected after
// installing" about one time in three; without it, 64 out of 64 succeed).
func cliConfig(dir string) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	body.SetAttributeValue("disable_checkpoint", cty.True)
	body.AppendNewline()
	mirror := body.AppendNewBlock("provider_installation", nil).Body().AppendNewBlock("filesystem_mirror", nil).Body()
	mirror.SetAttributeValue("path", cty.StringVal(filepath.Join(dir, mirrorDir)))
	var include []cty.Value
	for _, p := range Providers {
		include = append(include, cty.StringVal(p.Address().String()))
	}
	mirror.SetAttributeValue("include", cty.ListVal(include))
	return hclwrite.Format(f.Bytes())
}

// writeFile makes path hold data with mode perm, atomically. The temporary
// file goes in root, not beside path: terraform hashes every file of a
// provider package directory, and a concurrent init must never see a
// half-written neighbour there.
func writeFile(root, path string, data []byte, perm os.FileMode) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		if st, err := os.Stat(path); err == nil && st.Mode().Perm() == perm {
			return nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(root, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

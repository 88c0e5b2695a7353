package tfrun

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hc-install/product"
	"github.com/hashicorp/hc-install/releases"
)

// PinnedVersion is the terraform release Ensure installs when no terraform
// is found; MinVersion is the oldest one skyform runs (the generated root
// modules require it).
const (
	PinnedVersion = "1.11.4"
	MinVersion    = "1.5.0"
)

// releasesURL replaces the releases site in tests; "" is hc-install's default.
var releasesURL = ""

// defaultTerraform is DefaultTerraform, a variable so tests can hide it.
var defaultTerraform = DefaultTerraform

// TooOldError is a terraform older than MinVersion.
type TooOldError struct {
	Path, Version string
}

func (e *TooOldError) Error() string {
	return fmt.Sprintf("terraform %s at %s is too old: skyform needs %s or later", e.Version, e.Path, MinVersion)
}

// Ensure returns a terraform binary to run and its version: explicit when
// given, else $SKYFORM_TERRAFORM, PATH or DefaultTerraform, else
// PinnedVersion installed into cacheDir with hc-install (and reused from
// there next time). It fails clearly when none can be had.
func Ensure(ctx context.Context, explicit, cacheDir string) (path, ver string, err error) {
	if path, err = Locate(ctx, explicit, cacheDir); err != nil {
		return "", "", err
	}
	if ver, err = Version(ctx, path); err != nil {
		return "", "", err
	}
	return path, ver, CheckVersion(path, ver)
}

// Locate is Ensure without the version check, for a caller that reads the
// version through a Runner (terraform-exec caches it for its own checks).
func Locate(ctx context.Context, explicit, cacheDir string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	path, err := FindTerraform()
	if errors.Is(err, ErrNoTerraform) {
		path, err = install(ctx, cacheDir)
	}
	return path, err
}

// CheckVersion refuses a terraform older than MinVersion.
func CheckVersion(path, ver string) error {
	v, err := version.NewVersion(ver)
	if err != nil {
		return fmt.Errorf("terraform at %s reports an unreadable version %q", path, ver)
	}
	if v.LessThan(version.Must(version.NewVersion(MinVersion))) {
		return &TooOldError{Path: path, Version: ver}
	}
	return nil
}

// Version runs terraform version -json.
func Version(ctx context.Context, path string) (string, error) {
	out, err := exec.CommandContext(ctx, path, "version", "-json").Output()
	if err != nil {
		return "", fmt.Errorf("cannot run terraform at %s: %w", path, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil || v.Version == "" {
		return "", fmt.Errorf("terraform at %s did not report its version", path)
	}
	return v.Version, nil
}

func install(ctx context.Context, cacheDir string) (string, error) {
	dir := filepath.Join(cacheDir, "terraform", PinnedVersion)
	bin := filepath.Join(dir, "terraform")
	if st, err := os.Stat(bin); err == nil && !st.IsDir() {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("cannot install terraform: %w", err)
	}
	ev := &releases.ExactVersion{
		Product:    product.Terraform,
		Version:    version.Must(version.NewVersion(PinnedVersion)),
		InstallDir: dir,
		ApiBaseURL: releasesURL,
	}
	p, err := ev.Install(ctx)
	if err != nil {
		return "", fmt.Errorf("%w, and installing terraform %s into %s failed: %v", ErrNoTerraform, PinnedVersion, dir, err)
	}
	return p, nil
}

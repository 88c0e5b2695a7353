package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/skyform/skyform/internal/tfrun"
)

// TerraformOptions say where skyform would look for terraform.
type TerraformOptions struct {
	// CacheDir is where skyform installs the pinned terraform when none is
	// found (deploy's cache, normally the user cache directory's skyform).
	CacheDir string
}

// checkTerraform finds terraform as plan and apply do (SKYFORM_TERRAFORM,
// PATH, the default location, then the pinned release skyform installed
// into its cache earlier) and checks its version against the oldest one
// the generated root module (or, why says, its backend) accepts.
func checkTerraform(ctx context.Context, o TerraformOptions, min, why string) Check {
	c := Check{Name: "terraform"}
	if min == "" || versionLess(min, tfrun.MinVersion) {
		min = tfrun.MinVersion
	}
	path, err := tfrun.FindTerraform()
	if errors.Is(err, tfrun.ErrNoTerraform) && o.CacheDir != "" {
		cached := filepath.Join(o.CacheDir, "terraform", tfrun.PinnedVersion, "terraform")
		if st, serr := os.Stat(cached); serr == nil && !st.IsDir() {
			path, err = cached, nil
		}
	}
	if err != nil {
		c.Status, c.Detail = Failed, "terraform not found: SKYFORM_TERRAFORM is not set, no terraform is on PATH or at "+tfrun.DefaultTerraform+", and skyform has not installed one"
		c.Fix = fmt.Sprintf("install terraform %s or later on PATH (or set SKYFORM_TERRAFORM to it); with network access skyform init installs terraform %s itself", min, tfrun.PinnedVersion)
		return c
	}
	ver, err := tfrun.Version(ctx, path)
	if err != nil {
		c.Status, c.Detail = Failed, err.Error()
		if os.Getenv("SKYFORM_TERRAFORM") == path {
			c.Fix = "SKYFORM_TERRAFORM names " + path + ": point it at a working terraform binary, or unset it to use the one on PATH"
		} else {
			c.Fix = "reinstall terraform at " + path
		}
		return c
	}
	if versionLess(ver, min) {
		c.Status = Failed
		c.Detail = fmt.Sprintf("terraform %s at %s is too old: %s needs %s or later", ver, path, why, min)
		c.Fix = fmt.Sprintf("install terraform %s or later (skyform pins %s)", min, tfrun.PinnedVersion)
		return c
	}
	c.Status = OK
	c.Detail = fmt.Sprintf("terraform %s at %s (needs %s or later)", ver, path, min)
	return c
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	tfaddr "github.com/hashicorp/terraform-registry-address"
	"github.com/zclconf/go-cty/cty"

	"github.com/skyform/skyform/internal/tfrun"
)

// binaries collects -binary NAME=PATH flags.
type binaries map[string]string

func (b binaries) String() string {
	var out []string
	for k, v := range b {
		out = append(out, k+"="+v)
	}
	return strings.Join(out, ",")
}

func (b binaries) Set(s string) error {
	name, path, ok := strings.Cut(s, "=")
	if !ok || name == "" || path == "" {
		return fmt.Errorf("want NAME=PATH, e.g. aws=$GOBIN/terraform-provider-aws")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	b[name] = abs
	return nil
}

// schemaFromBinary runs `terraform providers schema -json` against the
// provider executable bin, installed as hashicorp/name in a throwaway
// filesystem mirror, and returns the output. The version it is installed
// as does not matter: a schema does not mention it.
func schemaFromBinary(ctx context.Context, name, bin string) ([]byte, error) {
	fail := func(err error) ([]byte, error) {
		return nil, fmt.Errorf("cannot read the schema of %s: %w", bin, err)
	}
	if _, err := os.Stat(bin); err != nil {
		return fail(err)
	}
	tmp, err := os.MkdirTemp("", "schemas-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	const version = "0.0.1"
	addr := tfaddr.NewProvider(tfaddr.DefaultProviderRegistryHost, "hashicorp", name)
	pkg := filepath.Join(tmp, "mirror", filepath.FromSlash(addr.String()), version, runtime.GOOS+"_"+runtime.GOARCH)
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		return fail(err)
	}
	if err := os.Symlink(bin, filepath.Join(pkg, "terraform-provider-"+name+"_v"+version)); err != nil {
		return fail(err)
	}

	rc := hclwrite.NewEmptyFile()
	rc.Body().SetAttributeValue("disable_checkpoint", cty.True)
	fm := rc.Body().AppendNewBlock("provider_installation", nil).Body().AppendNewBlock("filesystem_mirror", nil).Body()
	fm.SetAttributeValue("path", cty.StringVal(filepath.Join(tmp, "mirror")))
	fm.SetAttributeValue("include", cty.ListVal([]cty.Value{cty.StringVal(addr.String())}))
	cfg := filepath.Join(tmp, "terraform.rc")
	if err := os.WriteFile(cfg, rc.Bytes(), 0o644); err != nil {
		return fail(err)
	}

	work := filepath.Join(tmp, "work")
	main := hclwrite.NewEmptyFile()
	rp := main.Body().AppendNewBlock("terraform", nil).Body().AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue(name, cty.ObjectVal(map[string]cty.Value{"source": cty.StringVal("hashicorp/" + name)}))
	if err := os.MkdirAll(work, 0o755); err != nil {
		return fail(err)
	}
	if err := os.WriteFile(filepath.Join(work, "main.tf"), main.Bytes(), 0o644); err != nil {
		return fail(err)
	}
	r, err := tfrun.New(work, tfrun.WithCLIConfig(cfg))
	if err != nil {
		return fail(err)
	}
	if err := r.Init(ctx, tfrun.NoBackend()); err != nil {
		return fail(err)
	}
	s, err := r.ProvidersSchema(ctx)
	if err != nil {
		return fail(err)
	}
	return json.Marshal(s)
}

package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/skyform/skyform/internal/offline/schemaset"
)

func main() {
	src := flag.String("src", "../shared/provider-schemas", "directory with <provider>.json or <provider>.json.gz from `terraform providers schema -json`")
	mods := flag.String("modules", "modules", "directory of the Terraform modules to scan for resource and data types")
	out := flag.String("out", "internal/offline/schemas", "directory to write <provider>.json.gz and types.txt into")
	bins := binaries{}
	flag.Var(bins, "binary", "NAME=PATH: read provider NAME's schema from the provider executable at PATH (through terraform) instead of -src; repeatable")
	flag.Parse()
	if err := run(*src, bins, *mods, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src string, bins binaries, mods, out string) error {
	uses, err := schemaset.Scan(mods)
	if err != nil {
		return err
	}
	var bad []string
	for name := range bins {
		if !slices.Contains(schemaset.Providers, name) {
			bad = append(bad, fmt.Sprintf("-binary %s: not a provider served offline (only aws, google, azurerm)", name))
		}
	}
	for _, u := range uses {
		if !slices.Contains(schemaset.Providers, u.Provider()) && !u.Builtin() {
			bad = append(bad, fmt.Sprintf("%s: %s: provider %q is not served offline (only aws, google, azurerm)",
				filepath.Join(mods, u.Where()), u.Type, u.Provider()))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("modules use providers that cannot run offline:\n%s", strings.Join(bad, "\n"))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var list bytes.Buffer
	list.WriteString("# Types served by the offline providers; written by `make schemas`, do not edit.\n")
	for _, name := range schemaset.Providers {
		var full []byte
		if bin, ok := bins[name]; ok {
			full, err = schemaFromBinary(context.Background(), name, bin)
		} else {
			full, err = readSource(src, name)
		}
		if err != nil {
			return err
		}
		want := schemaset.Want(uses, name)
		gz, err := schemaset.Filter(full, name, want)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := writeIfChanged(filepath.Join(out, name+".json.gz"), gz); err != nil {
			return err
		}
		fmt.Fprintf(&list, "\n# hashicorp/%s\n", name)
		for _, t := range want {
			fmt.Fprintf(&list, "%s\n", t)
		}
	}
	return writeIfChanged(filepath.Join(out, "types.txt"), list.Bytes())
}

func readSource(dir, name string) ([]byte, error) {
	for _, f := range []string{name + ".json.gz", name + ".json"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err == nil {
			return b, nil
		}
		if !os.IsNotExist(err) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("no %s.json.gz or %s.json in %s", name, name, dir)
}

// writeIfChanged leaves an identical file alone, so a regeneration that
// changes nothing does not touch modification times either.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

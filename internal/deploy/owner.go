package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"gopkg.in/yaml.v3"
)

// ownerFile, in .skyform/<blueprint>, names the blueprint file whose
// deployments live there. Workdirs are named by the blueprint's name, so
// two files in one directory that both say "blueprint: shop" would share
// them and their local state: each apply would plan to destroy what the
// other made.
const ownerFile = ".skyform-owner.json"

type owner struct {
	// File is the blueprint file, relative to the directory both are in.
	File string `json:"file"`
}

// claimWorkdirs records bp's file as the owner of its blueprint's
// workdirs, or refuses with both positions when another file in the same
// directory owns them and still names the same blueprint. An owner that
// is gone, or now names another blueprint, is replaced: a moved or
// renamed file keeps its deployments.
func claimWorkdirs(bp *blueprints.Blueprint) (diag.Diagnostics, error) {
	base := filepath.Join(bp.Dir, ".skyform", bp.Name)
	path := filepath.Join(base, ownerFile)
	self := filepath.Base(bp.File)
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	var o owner
	if err == nil && json.Unmarshal(data, &o) == nil && o.File != "" {
		if o.File == self {
			return nil, nil
		}
		other := filepath.Join(filepath.Dir(bp.File), o.File)
		if at, ok := namesBlueprint(other, bp.Name); ok {
			return diag.Diagnostics{}.Errorf(bp.At("blueprint"), "blueprint",
				fmt.Sprintf("blueprint %q is also the name of %s", bp.Name, other),
				"both files would deploy from %s and share its state, each planning to destroy what the other made (the other is named at %s); give one of them another blueprint name",
				filepath.Join(filepath.Dir(bp.File), ".skyform", bp.Name), at), nil
		}
	}
	if err := os.MkdirAll(base, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create workdir: %w", err)
	}
	data, _ = json.Marshal(owner{File: self})
	if err := os.WriteFile(path, append(data, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("cannot record the workdir's blueprint: %w", err)
	}
	return nil, nil
}

// namesBlueprint reports whether the YAML file at path has a top-level
// blueprint: name, and where that name stands.
func namesBlueprint(path, name string) (diag.Range, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return diag.Range{}, false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return diag.Range{}, false
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k, v := m.Content[i], m.Content[i+1]; k.Value == "blueprint" && v.Kind == yaml.ScalarNode && v.Value == name {
			return diag.Range{File: path, Start: diag.Pos{Line: k.Line, Column: k.Column}}, true
		}
	}
	return diag.Range{}, false
}

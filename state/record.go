package state

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// RecordName is the deployment record beside the state.
const RecordName = "deployment.json"

// Record describes the last successful apply (or destroy) of a workdir.
type Record struct {
	Blueprint string `json:"blueprint"`
	// BlueprintSHA256 is the hex digest of the blueprint file that was applied.
	BlueprintSHA256 string    `json:"blueprint_sha256"`
	Clouds          []string  `json:"clouds"`
	Offline         bool      `json:"offline"`
	Action          string    `json:"action"`
	Time            time.Time `json:"time"`
	// Outputs are terraform's outputs after the apply, by resource.
	Outputs map[string]json.RawMessage `json:"outputs,omitempty"`
}

// WriteRecord stores the record (0600: outputs may carry addresses).
func WriteRecord(dir string, r *Record) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("cannot encode deployment record: %w", err)
	}
	tmp := filepath.Join(dir, "."+RecordName+".tmp")
	if err := os.WriteFile(tmp, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("cannot write deployment record: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, RecordName)); err != nil {
		return fmt.Errorf("cannot write deployment record: %w", err)
	}
	return nil
}

// ReadRecord loads the record; it returns nil and no error when there is none.
func ReadRecord(dir string) (*Record, error) {
	data, err := os.ReadFile(filepath.Join(dir, RecordName))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read deployment record: %w", err)
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("deployment record %s is damaged: %w", filepath.Join(dir, RecordName), err)
	}
	return &r, nil
}

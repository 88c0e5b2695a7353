package policy

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSARIF checks the log against what SARIF 2.1.0 requires of it: a
// version, one run with a named driver, results naming a rule of the
// driver by id and index, a level the format knows, a message and a
// location with a 1-based region.
func TestSARIF(t *testing.T) {
	p, bp := parseBoth(t, "policy: acme\nrules:\n  queue_encryption: true\n  no_public_http: {severity: warn}\n  max_nodes: {per_pool: 5}\n",
		"blueprint: shop\nresources:\n  q: {kind: queue, encryption: false}\n  api:\n"+fn+"    triggers: [{http: {public: true}}]\n")
	vs := p.Check(bp, "")
	data, err := SARIF(vs, p.Rules)
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID                   string `json:"id"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Message   struct {
					Text string `json:"text"`
				} `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"relatedLocations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || log.Schema == "" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "skyform" {
		t.Fatalf("not a SARIF 2.1.0 log with one skyform run:\n%s", data)
	}
	run := log.Runs[0]
	var rules, levels []string
	for _, r := range run.Tool.Driver.Rules {
		rules = append(rules, r.ID)
		levels = append(levels, r.DefaultConfiguration.Level)
	}
	if diff := cmp.Diff([]string{"queue_encryption", "no_public_http", "max_nodes"}, rules); diff != "" {
		t.Errorf("driver rules (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"error", "warning", "error"}, levels); diff != "" {
		t.Errorf("rule levels (-want +got):\n%s", diff)
	}
	var got []string
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(rules) || rules[r.RuleIndex] != r.RuleID {
			t.Errorf("result for %s points at rule %d", r.RuleID, r.RuleIndex)
		}
		if len(r.Locations) != 1 || r.Message.Text == "" || len(r.RelatedLocations) != 1 || r.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI != "policy.yaml" {
			t.Errorf("result without message, location or related policy location: %+v", r)
			continue
		}
		reg := r.Locations[0].PhysicalLocation.Region
		got = append(got, fmt.Sprintf("%s %s %d:%d", r.RuleID, r.Level, reg.StartLine, reg.StartColumn))
	}
	if diff := cmp.Diff([]string{"queue_encryption error 3:20", "no_public_http warning 8:24"}, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
}

package policy

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/skyform/skyform/internal/diag"
)

// SARIF 2.1.0 (OASIS): the log code scanning tools read. Only the parts
// needed are modelled; field names are the specification's.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name  string      `json:"name"`
	Rules []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	ShortDescription     sarifMessage `json:"shortDescription"`
	DefaultConfiguration sarifConfig  `json:"defaultConfiguration"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation sarifPhysical          `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

type sarifLogicalLocation struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

func sarifLevel(s diag.Severity) string {
	if s == diag.Warning {
		return "warning"
	}
	return "error"
}

func physical(r diag.Range) sarifPhysical {
	line, col := r.Start.Line, r.Start.Column
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	return sarifPhysical{ArtifactLocation: sarifArtifact{URI: filepath.ToSlash(r.File)}, Region: sarifRegion{StartLine: line, StartColumn: col}}
}

// SARIF renders violations as a SARIF 2.1.0 log with one run: the policy's
// rules as the driver's rules, each violation as a result at the blueprint
// field, with the rule's line in the policy as a related location.
func SARIF(vs []Violation, rules []*Rule) ([]byte, error) {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "skyform", Rules: []sarifRule{}}}, Results: []sarifResult{}}
	index := map[string]int{}
	for _, r := range rules {
		index[r.Name] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: r.Name, ShortDescription: sarifMessage{Text: ruleByName(r.Name).doc}, DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		})
	}
	for _, v := range vs {
		i, ok := index[v.Rule]
		if !ok {
			return nil, fmt.Errorf("violation of rule %s, which the policy does not hold", v.Rule)
		}
		text := v.Summary
		if v.Detail != "" {
			text += ": " + v.Detail
		}
		id := 0
		run.Results = append(run.Results, sarifResult{
			RuleID: v.Rule, RuleIndex: i, Level: sarifLevel(v.Severity), Message: sarifMessage{Text: text},
			Locations: []sarifLocation{{
				PhysicalLocation: physical(v.Range),
				LogicalLocations: []sarifLogicalLocation{{FullyQualifiedName: v.Path, Kind: "member"}},
			}},
			RelatedLocations: []sarifLocation{{ID: &id, PhysicalLocation: physical(v.RuleRange), Message: &sarifMessage{Text: fmt.Sprintf("rule %s of policy %s", v.Rule, v.Policy)}}},
		})
	}
	data, err := json.MarshalIndent(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cannot encode the SARIF log: %w", err)
	}
	return append(data, '\n'), nil
}

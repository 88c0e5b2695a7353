package bootstrap

import (
	"context"
	"fmt"
	"strings"
)

// Store is the bucket or container one backend keeps state in.
type Store interface {
	// Ensure creates the store when it is missing and brings its settings
	// to what state needs; it reports what it found and what it changed.
	Ensure(ctx context.Context) (*Result, error)
}

// Result describes a store after Ensure.
type Result struct {
	// Cloud is aws, gcp or azure; Backend the terraform backend type.
	Cloud   string `json:"cloud"`
	Backend string `json:"backend"`
	// URL names the store: s3://bucket, gs://bucket, or the container's
	// address (the account's blob endpoint and the container's name).
	URL string `json:"url"`
	// Created is true when Ensure created the store.
	Created bool `json:"created"`
	// Settings are the properties Ensure checked, in a fixed order.
	Settings []Setting `json:"settings"`
	// Blueprint is the backend mapping that uses the store, by blueprint
	// field name (type, bucket, region...).
	Blueprint map[string]string `json:"blueprint"`
}

// Setting is one property of a store.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	// Changed is true when Ensure had to set it.
	Changed bool `json:"changed"`
}

func (r *Result) set(name, value string, changed bool) {
	r.Settings = append(r.Settings, Setting{Name: name, Value: value, Changed: changed})
}

// Setting returns the value of a setting, "" when there is none.
func (r *Result) Setting(name string) string {
	for _, s := range r.Settings {
		if s.Name == name {
			return s.Value
		}
	}
	return ""
}

// TakenError is a store name that exists but belongs to someone else (or
// that the caller may not see).
type TakenError struct {
	Kind, Name string
}

func (e *TakenError) Error() string {
	return fmt.Sprintf("the %s name %q is taken by another account, or yours may not read it: choose another name", e.Kind, e.Name)
}

// MissingError is a required option left empty.
type MissingError struct {
	Option, Hint string
}

func (e *MissingError) Error() string {
	return fmt.Sprintf("%s is needed: %s", e.Option, e.Hint)
}

func check(opts ...[3]string) error {
	for _, o := range opts {
		if strings.TrimSpace(o[1]) == "" {
			return &MissingError{Option: o[0], Hint: o[2]}
		}
	}
	return nil
}

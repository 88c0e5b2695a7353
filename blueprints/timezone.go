package blueprints

import (
	"errors"
	"strings"
	"time"

	// The time zone database is built into every program that reads
	// blueprints: a schedule's zone must be known the same way whether or
	// not the machine has tzdata installed (CI images often have none).
	_ "time/tzdata"
)

// loadZone loads an IANA time zone by name. "Local" and file paths are
// refused: a schedule's zone must mean the same on every machine and cloud.
func loadZone(name string) (*time.Location, error) {
	const allowed = "a time zone is an IANA name such as UTC, Europe/Berlin or America/New_York"
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return nil, errors.New(allowed)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, errors.New(allowed)
	}
	return loc, nil
}

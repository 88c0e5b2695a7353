package offline

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// Rehearsal switches let a user (and skyform's tests) rehearse what goes
// wrong in a real apply, offline: a slow cloud, to practise interrupting,
// and a failing one. terraform passes its environment to the provider.
const (
	// DelayEnv makes every apply of a resource take this long, e.g. "3s".
	DelayEnv = "SKYFORM_OFFLINE_DELAY"
	// FailEnv names resource types (comma-separated, e.g. "aws_sqs_queue")
	// whose applies fail.
	FailEnv = "SKYFORM_OFFLINE_FAIL"
)

// rehearse applies the rehearsal switches to one apply of typeName.
func rehearse(typeName string) error {
	if d, err := time.ParseDuration(os.Getenv(DelayEnv)); err == nil && d > 0 {
		time.Sleep(d)
	}
	for _, t := range strings.Split(os.Getenv(FailEnv), ",") {
		if strings.TrimSpace(t) == typeName {
			return fmt.Errorf("%s is set to fail %s (a rehearsed cloud error)", FailEnv, typeName)
		}
	}
	return nil
}

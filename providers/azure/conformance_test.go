package azure

import (
	"testing"

	"github.com/skyform/skyform/providers/conformance"
)

func TestConformance(t *testing.T) { conformance.Run(t, New()) }

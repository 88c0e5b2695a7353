package compiler

import (
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/providers"
	"github.com/skyform/skyform/providers/aws"
	"github.com/skyform/skyform/providers/azure"
	"github.com/skyform/skyform/providers/gcp"
)

// Clouds returns every cloud's lowering, in blueprints.Clouds order.
func Clouds() []providers.Cloud {
	return []providers.Cloud{aws.New(), gcp.New(), azure.New()}
}

// Lookup returns the lowering for one cloud.
func Lookup(c blueprints.Cloud) providers.Cloud {
	for _, p := range Clouds() {
		if p.Name() == c {
			return p
		}
	}
	return nil
}

package offline

import (
	"fmt"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
)

// ProviderEnv is the environment variable that turns a process embedding
// this package into an offline provider: the mirror's launcher sets it to
// the provider's name before it execs the executable.
const ProviderEnv = "SKYFORM_OFFLINE_PROVIDER"

// ServeIfRequested serves the offline provider named by ProviderEnv over
// terraform's plugin protocol 5 and returns true once terraform has stopped
// it; the caller must then exit. It returns false at once when the variable
// is not set. Call it first thing in main, and in TestMain of every package
// whose tests run terraform through a mirror from Install.
//
// It does not return when the provider cannot start: it reports why on
// stderr, where terraform shows it, and exits with status 1.
func ServeIfRequested() bool {
	name := os.Getenv(ProviderEnv)
	if name == "" {
		return false
	}
	p, ok := Lookup(name)
	if !ok {
		fmt.Fprintf(os.Stderr, "%s=%q: there is no such offline provider (aws, google, azurerm)\n", ProviderEnv, name)
		os.Exit(1)
	}
	srv, err := newServer(p.Name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "offline %s provider: %v\n", p.Name, err)
		os.Exit(1)
	}
	err = tf5server.Serve(p.Address().String(), func() tfprotov5.ProviderServer { return srv })
	if err != nil {
		fmt.Fprintf(os.Stderr, "offline %s provider: %v\n", p.Name, err)
		os.Exit(1)
	}
	return true
}

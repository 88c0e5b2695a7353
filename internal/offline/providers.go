package offline

import (
	tfaddr "github.com/hashicorp/terraform-registry-address"
)

// The provider releases whose schemas the offline providers serve. The
// lowering pins these in required_providers, so the generated Terraform
// names the same versions online and offline.
const (
	AWSVersion     = "6.47.0"
	GoogleVersion  = "8.0.0"
	AzureRMVersion = "5.2.0"
)

// Provider is one provider that skyform can serve offline.
type Provider struct {
	// Name is the provider's type and usual local name: aws, google, azurerm.
	Name string
	// Version is the release the schema comes from.
	Version string
}

// Providers lists every provider served offline.
var Providers = []Provider{
	{Name: "aws", Version: AWSVersion},
	{Name: "google", Version: GoogleVersion},
	{Name: "azurerm", Version: AzureRMVersion},
}

// Lookup returns the provider named name.
func Lookup(name string) (Provider, bool) {
	for _, p := range Providers {
		if p.Name == name {
			return p, true
		}
	}
	return Provider{}, false
}

// Source is the short source address written in required_providers,
// e.g. "hashicorp/aws".
func (p Provider) Source() string { return "hashicorp/" + p.Name }

// Address is the fully qualified provider address terraform resolves Source
// to; the filesystem mirror is laid out by it.
func (p Provider) Address() tfaddr.Provider {
	return tfaddr.NewProvider(tfaddr.DefaultProviderRegistryHost, "hashicorp", p.Name)
}

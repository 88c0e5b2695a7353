package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/mysql/armmysqlflexibleservers"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/postgresql/armpostgresqlflexibleservers/v5"
	"github.com/skyform/skyform/blueprints"
)

// AzureOptions say how Azure is reached.
type AzureOptions struct {
	// Subscription is the subscription to check (--var
	// azure_subscription_id); "" takes ARM_SUBSCRIPTION_ID, as plan does.
	Subscription string
	// Credential replaces DefaultAzureCredential.
	Credential azcore.TokenCredential
	// Endpoint replaces Azure Resource Manager's (tests, a sovereign
	// cloud); the token's audience stays Resource Manager's.
	Endpoint string
	// Transport carries every request, the credential's too (tests).
	Transport policy.Transporter
}

const azureCloud = blueprints.Azure

// The Resource Manager API versions read.
const (
	subscriptionsAPI = "2022-12-01"
	skusAPI          = "2021-07-01"
)

func checkAzure(ctx context.Context, o AzureOptions, n *Needs) []Check {
	rest := []string{"subscription", "region " + n.Region}
	for _, t := range n.machineList() {
		rest = append(rest, "vm size "+t)
	}
	for _, d := range n.Databases {
		rest = append(rest, "database sku "+d.Class)
	}
	copts := policy.ClientOptions{Transport: o.Transport, Cloud: cloud.AzurePublic}
	if o.Endpoint != "" {
		copts.Cloud = cloud.Configuration{
			ActiveDirectoryAuthorityHost: cloud.AzurePublic.ActiveDirectoryAuthorityHost,
			Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
				cloud.ResourceManager: {Endpoint: o.Endpoint, Audience: cloud.AzurePublic.Services[cloud.ResourceManager].Audience},
			},
		}
	}
	cred := Check{Cloud: azureCloud, Name: "credentials"}
	tc := o.Credential
	if tc == nil {
		// A custom authority (Azure Stack, a test's) is no Microsoft
		// cloud that instance discovery could describe.
		_, custom := os.LookupEnv("AZURE_AUTHORITY_HOST")
		c, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: policy.ClientOptions{Transport: o.Transport}, DisableInstanceDiscovery: custom})
		if err != nil {
			cred.Status, cred.Detail = Failed, "no Azure credential: "+err.Error()
			cred.Fix = azureCredFix
			return append([]Check{cred}, skipRest(azureCloud, "no credentials", rest...)...)
		}
		tc = c
	}
	audience := cloud.AzurePublic.Services[cloud.ResourceManager].Audience
	if _, err := tc.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{strings.TrimSuffix(audience, "/") + "/.default"}}); err != nil {
		cred.Status, cred.Detail = Failed, "no Azure credential gives a token: "+oneLine(err.Error())
		cred.Fix = azureCredFix
		return append([]Check{cred}, skipRest(azureCloud, "no credentials", rest...)...)
	}
	cred.Status, cred.Detail = OK, "a Resource Manager token from "+credentialSource(o.Credential != nil)
	out := []Check{cred}

	client, err := arm.NewClient("skyform/doctor", "v1.0.0", tc, &arm.ClientOptions{ClientOptions: copts})
	if err != nil {
		out = append(out, Check{Cloud: azureCloud, Name: "subscription", Status: Failed, Detail: "cannot reach Resource Manager: " + err.Error(),
			Fix: "check SKYFORM_AZURE_ENDPOINT (an https URL) or unset it"})
		return append(out, skipRest(azureCloud, "Resource Manager cannot be reached", rest[1:]...)...)
	}
	az := &azureClient{c: client}

	sub := Check{Cloud: azureCloud, Name: "subscription"}
	// The subscription as plan finds it: --var azure_subscription_id,
	// else ARM_SUBSCRIPTION_ID.
	id := o.Subscription
	if id == "" {
		id = os.Getenv("ARM_SUBSCRIPTION_ID")
	}
	if id == "" {
		sub.Status = Failed
		sub.Detail = "no subscription: azure_subscription_id is not passed and ARM_SUBSCRIPTION_ID is not set, so plan would stop"
		if v := os.Getenv("AZURE_SUBSCRIPTION_ID"); v != "" {
			sub.Detail += " (AZURE_SUBSCRIPTION_ID is " + v + ", but plan does not read it)"
		} else {
			var subs []azureSubscription
			if az.list(ctx, "/subscriptions?api-version="+subscriptionsAPI, func(raw []byte) error { return appendJSON(raw, &subs) }) == nil && len(subs) > 0 {
				var ids []string
				for _, s := range subs {
					ids = append(ids, s.ID+" ("+s.DisplayName+")")
				}
				sub.Detail += " (the credential sees " + join(ids) + ")"
			}
		}
		sub.Fix = "pass --var azure_subscription_id=ID or set ARM_SUBSCRIPTION_ID, as for plan"
	}
	if id != "" {
		var s azureSubscription
		err := az.get(ctx, "/subscriptions/"+url.PathEscape(id)+"?api-version="+subscriptionsAPI, &s)
		switch {
		case err != nil:
			sub.Status = Failed
			sub.Detail, sub.Fix = azureFailure(err, "Microsoft.Resources/subscriptions/read", "subscription "+id)
			if azureStatus(err) == http.StatusNotFound {
				sub.Fix = "check ARM_SUBSCRIPTION_ID (" + id + ") and that the credential has a role on it (Reader is enough)"
			}
		case s.State != "Enabled":
			sub.Status, sub.Detail = Failed, fmt.Sprintf("subscription %s (%s) is %s", id, s.DisplayName, s.State)
			sub.Fix = "reactivate the subscription in the Azure portal, or use an enabled one"
		default:
			sub.Status, sub.Detail = OK, fmt.Sprintf("%s (%s) is enabled", id, s.DisplayName)
		}
	}
	out = append(out, sub)
	if sub.Status != OK {
		return append(out, skipRest(azureCloud, "no usable subscription", rest[1:]...)...)
	}

	region := Check{Cloud: azureCloud, Name: "region " + n.Region}
	var locs []azureLocation
	err = az.list(ctx, "/subscriptions/"+url.PathEscape(id)+"/locations?api-version="+subscriptionsAPI, func(raw []byte) error { return appendJSON(raw, &locs) })
	found := false
	for _, l := range locs {
		found = found || l.Name == n.Region
	}
	switch {
	case err != nil:
		region.Status = Failed
		region.Detail, region.Fix = azureFailure(err, "Microsoft.Resources/subscriptions/locations/read", "subscription "+id)
	case !found:
		region.Status, region.Detail = Failed, fmt.Sprintf("subscription %s has no location %s", id, n.Region)
		region.Fix = "pick a location the subscription has (az account list-locations) in the blueprint's region field"
	default:
		region.Status, region.Detail = OK, n.Region+" is a location of the subscription"
	}
	out = append(out, region)
	if region.Status != OK {
		return append(out, skipRest(azureCloud, "the region is not usable", rest[2:]...)...)
	}
	out = append(out, azureVMSizes(ctx, az, id, n)...)
	return append(out, azureDatabases(ctx, id, tc, &arm.ClientOptions{ClientOptions: copts}, n)...)
}

// flexibleEditions are the compute tiers the prefixes of skyform's
// flexible server SKU names (GP_Standard_D2ads_v5) stand for.
var flexibleEditions = map[string]string{"B": "Burstable", "GP": "GeneralPurpose", "MO": "MemoryOptimized"}

// azureDatabases asks each engine's location capabilities whether the
// database's SKU (tier and compute size) can be created in the region.
func azureDatabases(ctx context.Context, sub string, cred azcore.TokenCredential, opts *arm.ClientOptions, n *Needs) []Check {
	var out []Check
	offers := map[string]map[string]string{} // engine → "Edition/Name" → status
	errs := map[string]error{}
	for _, d := range n.Databases {
		if _, done := offers[d.Engine]; done || errs[d.Engine] != nil {
			continue
		}
		got := map[string]string{}
		var err error
		switch d.Engine {
		case "postgres":
			var c *armpostgresqlflexibleservers.CapabilitiesByLocationClient
			if c, err = armpostgresqlflexibleservers.NewCapabilitiesByLocationClient(sub, cred, opts); err != nil {
				break
			}
			for p := c.NewListPager(n.Region, nil); p.More() && err == nil; {
				var page armpostgresqlflexibleservers.CapabilitiesByLocationClientListResponse
				if page, err = p.NextPage(ctx); err != nil {
					break
				}
				for _, cp := range page.Value {
					if cp.Restricted != nil && *cp.Restricted == armpostgresqlflexibleservers.LocationRestrictedEnabled {
						continue
					}
					for _, ed := range cp.SupportedServerEditions {
						for _, sku := range ed.SupportedServerSKUs {
							status := "Available"
							if sku.Status != nil {
								status = string(*sku.Status)
							}
							got[deref(ed.Name)+"/"+deref(sku.Name)] = status
						}
					}
				}
			}
		case "mysql":
			var c *armmysqlflexibleservers.LocationBasedCapabilitiesClient
			if c, err = armmysqlflexibleservers.NewLocationBasedCapabilitiesClient(sub, cred, opts); err != nil {
				break
			}
			for p := c.NewListPager(n.Region, nil); p.More() && err == nil; {
				var page armmysqlflexibleservers.LocationBasedCapabilitiesClientListResponse
				if page, err = p.NextPage(ctx); err != nil {
					break
				}
				for _, cp := range page.Value {
					for _, ed := range cp.SupportedFlexibleServerEditions {
						for _, v := range ed.SupportedServerVersions {
							for _, sku := range v.SupportedSKUs {
								got[deref(ed.Name)+"/"+deref(sku.Name)] = "Available"
							}
						}
					}
				}
			}
		}
		if err != nil {
			errs[d.Engine] = err
		}
		offers[d.Engine] = got
	}
	for _, d := range n.Databases {
		c := Check{Cloud: azureCloud, Name: "database sku " + d.Class, For: []string{d.Resource}}
		prefix, name, _ := strings.Cut(d.Class, "_")
		edition := flexibleEditions[prefix]
		provider := map[string]string{"postgres": "Microsoft.DBforPostgreSQL", "mysql": "Microsoft.DBforMySQL"}[d.Engine]
		status, ok := offers[d.Engine][edition+"/"+name]
		switch {
		case errs[d.Engine] != nil:
			c.Status = Failed
			c.Detail, c.Fix = azureFailure(errs[d.Engine], provider+"/locations/capabilities/read", "subscription "+sub)
		case provider == "" || edition == "":
			c.Status, c.Detail = Failed, fmt.Sprintf("doctor cannot read the %s SKU %s", d.Engine, d.Class)
			c.Fix = "this is a bug in skyform"
		case !ok:
			c.Status, c.Detail = Failed, fmt.Sprintf("%s flexible servers of %s %s are not offered in %s", d.Engine, edition, name, n.Region)
			c.Fix = "deploy to a location that offers it (az " + d.Engine + " flexible-server list-skus --location " + n.Region + "), or pick another size for the database"
		case status == "Disabled":
			c.Status, c.Detail = Failed, fmt.Sprintf("%s %s exists in %s but is disabled for the subscription", edition, name, n.Region)
			c.Fix = "request quota or access for it in the Azure portal, or pick another size or location"
		default:
			c.Status, c.Detail = OK, fmt.Sprintf("%s %s %s offered in %s", d.Engine, edition, name, n.Region)
		}
		out = append(out, c)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

const azureCredFix = "run az login, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET for a service principal"

func credentialSource(given bool) string {
	if given {
		return "the given credential"
	}
	return "DefaultAzureCredential"
}

// azureVMSizes lists the region's Compute SKUs and judges each VM size
// the node pools need, restrictions included.
func azureVMSizes(ctx context.Context, az *azureClient, sub string, n *Needs) []Check {
	sizes := n.machineList()
	if len(sizes) == 0 {
		return nil
	}
	skus := map[string]azureSKU{}
	q := url.Values{"api-version": {skusAPI}, "$filter": {"location eq '" + n.Region + "'"}}
	err := az.list(ctx, "/subscriptions/"+url.PathEscape(sub)+"/providers/Microsoft.Compute/skus?"+q.Encode(), func(raw []byte) error {
		var page []azureSKU
		if err := appendJSON(raw, &page); err != nil {
			return err
		}
		for _, s := range page {
			if strings.EqualFold(s.ResourceType, "virtualMachines") && containsFold(s.Locations, n.Region) {
				skus[s.Name] = s
			}
		}
		return nil
	})
	var out []Check
	for _, size := range sizes {
		c := Check{Cloud: azureCloud, Name: "vm size " + size, For: n.Machines[size]}
		s, ok := skus[size]
		switch {
		case err != nil:
			c.Status = Failed
			c.Detail, c.Fix = azureFailure(err, "Microsoft.Compute/skus/read", "subscription "+sub)
		case !ok:
			c.Status, c.Detail = Failed, fmt.Sprintf("%s is not offered in %s", size, n.Region)
			c.Fix = "deploy to a location that offers " + size + " (az vm list-skus --location LOCATION --size " + size + "), or pick another size for the pool"
		default:
			var zones []string
			blocked := ""
			for _, r := range s.Restrictions {
				if strings.EqualFold(r.Type, "Location") && containsFold(r.Values, n.Region) {
					blocked = r.ReasonCode
				}
				if strings.EqualFold(r.Type, "Zone") {
					zones = append(zones, r.RestrictionInfo.Zones...)
				}
			}
			switch {
			case blocked != "":
				c.Status, c.Detail = Failed, fmt.Sprintf("%s exists in %s but the subscription may not use it there (%s)", size, n.Region, blocked)
				c.Fix = "request access to " + size + " in " + n.Region + " (a quota or region access request in the Azure portal), or pick another size or location"
			case len(zones) > 0:
				c.Status, c.Detail = OK, fmt.Sprintf("offered in %s, except in zones %s", n.Region, join(zones))
			default:
				c.Status, c.Detail = OK, "offered in "+n.Region
			}
		}
		out = append(out, c)
	}
	return out
}

type azureSubscription struct {
	ID          string `json:"subscriptionId"`
	DisplayName string `json:"displayName"`
	State       string `json:"state"`
}

type azureLocation struct {
	Name string `json:"name"`
}

type azureSKU struct {
	ResourceType string   `json:"resourceType"`
	Name         string   `json:"name"`
	Locations    []string `json:"locations"`
	Restrictions []struct {
		Type            string   `json:"type"`
		Values          []string `json:"values"`
		ReasonCode      string   `json:"reasonCode"`
		RestrictionInfo struct {
			Zones []string `json:"zones"`
		} `json:"restrictionInfo"`
	} `json:"restrictions"`
}

// azureClient sends GETs through azcore's ARM pipeline: the bearer token,
// retries (429 with Retry-After, 5xx) and errors as *azcore.ResponseError.
type azureClient struct{ c *arm.Client }

func (a *azureClient) get(ctx context.Context, pathAndQuery string, v any) error {
	resp, err := a.do(ctx, runtime.JoinPaths(a.c.Endpoint(), pathAndQuery))
	if err != nil {
		return err
	}
	return runtime.UnmarshalAsJSON(resp, v)
}

// list follows a list's nextLink, handing each page's value array on.
func (a *azureClient) list(ctx context.Context, pathAndQuery string, page func(value []byte) error) error {
	next := runtime.JoinPaths(a.c.Endpoint(), pathAndQuery)
	for next != "" {
		resp, err := a.do(ctx, next)
		if err != nil {
			return err
		}
		var p struct {
			Value    rawJSON `json:"value"`
			NextLink string  `json:"nextLink"`
		}
		if err := runtime.UnmarshalAsJSON(resp, &p); err != nil {
			return err
		}
		if err := page(p.Value); err != nil {
			return err
		}
		next = p.NextLink
	}
	return nil
}

func (a *azureClient) do(ctx context.Context, u string) (*http.Response, error) {
	req, err := runtime.NewRequest(ctx, http.MethodGet, u)
	if err != nil {
		return nil, err
	}
	resp, err := a.c.Pipeline().Do(req)
	if err != nil {
		return nil, err
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		return nil, runtime.NewResponseError(resp)
	}
	return resp, nil
}

func azureStatus(err error) int {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		return re.StatusCode
	}
	return 0
}

// azureFailure says what a failed call means; action is the
// authorization action the call needs.
func azureFailure(err error, action, on string) (detail, fix string) {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		if re.StatusCode == http.StatusForbidden || re.ErrorCode == "AuthorizationFailed" {
			return "permission denied: the credential may not perform " + action + " on " + on + " (" + re.ErrorCode + ")",
				"assign the credential a role with " + action + " on " + on + " (Reader has every action doctor reads with)"
		}
		return fmt.Sprintf("%d %s", re.StatusCode, re.ErrorCode), "see the message; the call is read-only and safe to retry"
	}
	return oneLine(err.Error()), "check the network, then retry"
}

// oneLine joins an SDK error's lines (DefaultAzureCredential lists every
// credential it tried on a line of its own), leaving out the links to
// troubleshooting guides and the dashes around response bodies.
func oneLine(s string) string {
	var parts []string
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "To troubleshoot") || strings.Trim(l, "-") == "" {
			continue
		}
		parts = append(parts, l)
	}
	return strings.Join(parts, " ")
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

type rawJSON = json.RawMessage

// appendJSON decodes a JSON array onto the end of a slice.
func appendJSON[T any](raw []byte, into *[]T) error {
	var page []T
	if err := json.Unmarshal(raw, &page); err != nil {
		return err
	}
	*into = append(*into, page...)
	return nil
}

package fakecloud

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
)

// Azure is the Azure part of an inventory. Each item is written as the
// Resource Manager REST API returns it (id, name, location, tags,
// properties, sku), so an inventory reads like what the API returns.
type Azure struct {
	Subscription string `json:"subscription"`
	Tenant       string `json:"tenant"`
	// Namespaces: Service Bus namespaces with their queues.
	Namespaces []AzureNamespace `json:"namespaces,omitempty"`
	// Sites: function apps with their app settings, the functions the
	// Functions host lists and the package in their deployment container.
	Sites []AzureSite `json:"sites,omitempty"`
	// RoleAssignments: Microsoft.Authorization role assignments; each is
	// listed at its properties.scope.
	RoleAssignments []map[string]any `json:"role_assignments,omitempty"`
	// Postgres and MySQL: flexible servers with their databases (and the
	// PostgreSQL servers' Microsoft Entra administrators).
	Postgres []AzureServer `json:"postgres,omitempty"`
	MySQL    []AzureServer `json:"mysql,omitempty"`
	// Clusters: AKS managed clusters, agent pools in
	// properties.agentPoolProfiles.
	Clusters []map[string]any `json:"clusters,omitempty"`
	// The subscription as skyform doctor reads it (azure_doctor.go).
	AzureAccount
}

// AzureNamespace is one Service Bus namespace.
type AzureNamespace struct {
	Namespace map[string]any   `json:"namespace"`
	Queues    []map[string]any `json:"queues,omitempty"`
}

// AzureSite is one function app.
type AzureSite struct {
	Site        map[string]any    `json:"site"`
	AppSettings map[string]string `json:"app_settings,omitempty"`
	Functions   []map[string]any  `json:"functions,omitempty"`
	// Package is the zip in the app's deployment container (the container
	// URL of properties.functionAppConfig.deployment.storage.value).
	Package *AzurePackage `json:"package,omitempty"`
}

// AzurePackage is a deployment package blob.
type AzurePackage struct {
	Name string `json:"name"`
	// Modified is its Last-Modified (RFC 1123).
	Modified string            `json:"modified,omitempty"`
	Files    map[string]string `json:"files"`
}

// AzureServer is one flexible server.
type AzureServer struct {
	Server         map[string]any   `json:"server"`
	Databases      []string         `json:"databases,omitempty"`
	Administrators []map[string]any `json:"administrators,omitempty"`
}

// FakeToken is the access token the fake's Entra ID token endpoint issues
// and its APIs accept (and any other bearer token).
const FakeToken = "fakecloud-azure-token"

// NewTLS starts the fake over HTTPS, as Azure's SDK sends a bearer token
// over nothing else; its Client trusts the certificate.
func NewTLS(inv *Inventory) *Server {
	s := &Server{inv: inv, throttled: map[string]bool{}}
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	return s
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// serveAzure answers an Azure Resource Manager, Blob Storage or Entra ID
// request; false when it is none.
func (s *Server) serveAzure(w http.ResponseWriter, r *http.Request) bool {
	az := s.inv.Azure
	p := r.URL.Path
	switch {
	case strings.HasSuffix(r.Host, ".blob.core.windows.net") || strings.HasPrefix(p, "/blob/"):
		s.azureBlob(w, r)
		return true
	case strings.HasSuffix(p, "/oauth2/v2.0/token"):
		writeJSON(w, http.StatusOK, "application/json", map[string]any{"token_type": "Bearer", "access_token": FakeToken, "expires_in": 3600, "ext_expires_in": 3600})
		return true
	case strings.HasSuffix(p, "/.well-known/openid-configuration"):
		base := "https://" + r.Host + "/" + az.Tenant
		writeJSON(w, http.StatusOK, "application/json", map[string]any{
			"token_endpoint": base + "/oauth2/v2.0/token", "authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer": base + "/v2.0", "device_authorization_endpoint": base + "/oauth2/v2.0/devicecode"})
		return true
	case !strings.HasPrefix(strings.ToLower(p), "/subscriptions/"):
		return false
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		azureError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
		return true
	}
	lp := strings.ToLower(strings.TrimRight(p, "/"))
	sub := "/subscriptions/" + strings.ToLower(az.Subscription)
	list := func(op string, items []map[string]any) {
		if !s.azureFault(w, op, p) {
			s.azureList(w, r, items)
		}
	}
	switch {
	case r.Method == http.MethodGet && lp == sub+"/providers/microsoft.servicebus/namespaces":
		var items []map[string]any
		for _, n := range az.Namespaces {
			items = append(items, n.Namespace)
		}
		list("Microsoft.ServiceBus/namespaces/read", items)
	case r.Method == http.MethodGet && strings.HasSuffix(lp, "/queues"):
		for _, n := range az.Namespaces {
			if strings.ToLower(str(n.Namespace, "id"))+"/queues" == lp {
				list("Microsoft.ServiceBus/namespaces/queues/read", n.Queues)
				return true
			}
		}
		azureError(w, http.StatusNotFound, "ResourceNotFound", "The Resource '"+p+"' was not found.")
	case r.Method == http.MethodGet && lp == sub+"/providers/microsoft.web/sites":
		var items []map[string]any
		for _, st := range az.Sites {
			items = append(items, st.Site)
		}
		list("Microsoft.Web/sites/read", items)
	case strings.HasSuffix(lp, "/config/appsettings/list") || strings.HasSuffix(lp, "/functions"):
		for _, st := range az.Sites {
			id := strings.ToLower(str(st.Site, "id"))
			switch {
			case lp == id+"/config/appsettings/list" && r.Method == http.MethodPost:
				if !s.azureFault(w, "Microsoft.Web/sites/config/list/action", p) {
					writeJSON(w, http.StatusOK, "application/json", map[string]any{"id": str(st.Site, "id") + "/config/appsettings", "name": "appsettings", "properties": st.AppSettings})
				}
				return true
			case lp == id+"/functions" && r.Method == http.MethodGet:
				list("Microsoft.Web/sites/functions/read", st.Functions)
				return true
			}
		}
		azureError(w, http.StatusNotFound, "ResourceNotFound", "The Resource '"+p+"' was not found.")
	case r.Method == http.MethodGet && strings.HasSuffix(lp, "/providers/microsoft.authorization/roleassignments"):
		scope := strings.TrimSuffix(lp, "/providers/microsoft.authorization/roleassignments")
		var items []map[string]any
		for _, ra := range az.RoleAssignments {
			props, _ := ra["properties"].(map[string]any)
			if strings.ToLower(strings.TrimRight(str(props, "scope"), "/")) == scope {
				items = append(items, ra)
			}
		}
		list("Microsoft.Authorization/roleAssignments/read", items)
	case r.Method == http.MethodGet && lp == sub+"/providers/microsoft.dbforpostgresql/flexibleservers":
		list("Microsoft.DBforPostgreSQL/flexibleServers/read", servers(az.Postgres))
	case r.Method == http.MethodGet && lp == sub+"/providers/microsoft.dbformysql/flexibleservers":
		list("Microsoft.DBforMySQL/flexibleServers/read", servers(az.MySQL))
	case r.Method == http.MethodGet && (strings.HasSuffix(lp, "/databases") || strings.HasSuffix(lp, "/administrators")):
		for _, set := range [][]AzureServer{az.Postgres, az.MySQL} {
			for _, sv := range set {
				id := strings.ToLower(str(sv.Server, "id"))
				provider := "Microsoft.DBforPostgreSQL"
				if strings.Contains(id, "microsoft.dbformysql") {
					provider = "Microsoft.DBforMySQL"
				}
				switch lp {
				case id + "/databases":
					var items []map[string]any
					for _, db := range sv.Databases {
						items = append(items, map[string]any{"id": str(sv.Server, "id") + "/databases/" + db, "name": db,
							"type": provider + "/flexibleServers/databases", "properties": map[string]any{"charset": "UTF8"}})
					}
					list(provider+"/flexibleServers/databases/read", items)
					return true
				case id + "/administrators":
					list(provider+"/flexibleServers/administrators/read", sv.Administrators)
					return true
				}
			}
		}
		azureError(w, http.StatusNotFound, "ResourceNotFound", "The Resource '"+p+"' was not found.")
	case r.Method == http.MethodGet && lp == sub+"/providers/microsoft.containerservice/managedclusters":
		list("Microsoft.ContainerService/managedClusters/read", az.Clusters)
	default:
		azureError(w, http.StatusNotFound, "InvalidResourceType", "fakecloud: no Azure API at "+r.Method+" "+p)
	}
	return true
}

func servers(set []AzureServer) []map[string]any {
	var out []map[string]any
	for _, s := range set {
		out = append(out, s.Server)
	}
	return out
}

func azureError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, "application/json", map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// azureFault answers a throttled or refused operation as Resource
// Manager does; true when it did.
func (s *Server) azureFault(w http.ResponseWriter, op, scope string) bool {
	switch s.fault(op) {
	case "deny":
		azureError(w, http.StatusForbidden, "AuthorizationFailed", fmt.Sprintf("The client 'importer@example.com' with object id '00000000-0000-0000-0000-00000000aaaa' does not have authorization to perform action '%s' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.", op, scope))
		return true
	case "throttle":
		// Retry-After in seconds as Resource Manager sends it, and the
		// millisecond header azcore prefers, so tests wait 10 ms.
		w.Header().Set("Retry-After", "1")
		w.Header().Set("retry-after-ms", "10")
		azureError(w, http.StatusTooManyRequests, "TooManyRequests", "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.")
		return true
	}
	return false
}

// azureList writes one page of a list, with the nextLink of the next page
// (the same URL with a $skiptoken).
func (s *Server) azureList(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	if items == nil {
		items = []map[string]any{}
	}
	pg, next := page(items, r.URL.Query().Get("$skiptoken"), s.pageSize())
	out := map[string]any{"value": pg}
	if next != "" {
		q := r.URL.Query()
		q.Set("$skiptoken", next)
		out["nextLink"] = (&url.URL{Scheme: "https", Host: r.Host, Path: r.URL.Path, RawQuery: q.Encode()}).String()
	}
	writeJSON(w, http.StatusOK, "application/json; charset=utf-8", out)
}

// azureBlob serves the packages of the function apps' deployment
// containers: the container's blob list and each blob, by the
// <account>.blob.core.windows.net host (or /blob/<account>/ path).
func (s *Server) azureBlob(w http.ResponseWriter, r *http.Request) {
	account, _, _ := strings.Cut(r.Host, ".")
	p := strings.TrimPrefix(r.URL.Path, "/")
	if rest, ok := strings.CutPrefix(p, "blob/"); ok {
		account, p, _ = strings.Cut(rest, "/")
	}
	container, blob, _ := strings.Cut(p, "/")
	blobError := func(status int, code string) {
		msg := map[string]string{
			"AuthorizationPermissionMismatch": "This request is not authorized to perform this operation using this permission.",
			"NoAuthenticationInformation":     "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.",
			"ServerBusy":                      "The server is busy.",
		}[code]
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("x-ms-error-code", code)
		w.WriteHeader(status)
		fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>%s</Code><Message>%s</Message></Error>", code, msg)
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		blobError(http.StatusUnauthorized, "NoAuthenticationInformation")
		return
	}
	const op = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
	for _, st := range s.inv.Azure.Sites {
		if st.Package == nil {
			continue
		}
		u, err := url.Parse(deployment(st.Site))
		if err != nil || !strings.HasPrefix(u.Hostname(), account+".") || strings.Trim(u.Path, "/") != container {
			continue
		}
		switch fault := s.fault(op); {
		case fault == "deny":
			blobError(http.StatusForbidden, "AuthorizationPermissionMismatch")
			return
		case fault == "throttle":
			w.Header().Set("Retry-After", "1")
			w.Header().Set("retry-after-ms", "10")
			blobError(http.StatusServiceUnavailable, "ServerBusy")
			return
		}
		if blob == "" && r.URL.Query().Get("comp") == "list" {
			type prop struct {
				Modified string `xml:"Last-Modified"`
				Length   int    `xml:"Content-Length"`
			}
			type item struct {
				Name       string `xml:"Name"`
				Properties prop   `xml:"Properties"`
			}
			res := struct {
				XMLName   xml.Name `xml:"EnumerationResults"`
				Container string   `xml:"ContainerName,attr"`
				Blobs     []item   `xml:"Blobs>Blob"`
			}{Container: container}
			mod := st.Package.Modified
			if mod == "" {
				mod = "Mon, 01 Jun 2026 12:00:00 GMT"
			}
			res.Blobs = append(res.Blobs, item{Name: st.Package.Name, Properties: prop{Modified: mod, Length: len(packageZip(st.Package))}})
			w.Header().Set("Content-Type", "application/xml")
			xml.NewEncoder(w).Encode(res)
			return
		}
		if blob == st.Package.Name {
			w.Header().Set("Content-Type", "application/zip")
			w.Write(packageZip(st.Package))
			return
		}
	}
	blobError(http.StatusNotFound, "BlobNotFound")
}

func deployment(site map[string]any) string {
	props, _ := site["properties"].(map[string]any)
	fac, _ := props["functionAppConfig"].(map[string]any)
	dep, _ := fac["deployment"].(map[string]any)
	stor, _ := dep["storage"].(map[string]any)
	return str(stor, "value")
}

// packageZip zips the package's files, sorted, with fixed times.
func packageZip(p *AzurePackage) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(p.Files))
	for n := range p.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		f, _ := zw.Create(n)
		f.Write([]byte(p.Files[n]))
	}
	zw.Close()
	return buf.Bytes()
}

// AzureEnv is the environment that points an Azure SDK client at the
// fake: SKYFORM_AZURE_ENDPOINT (skyform's Resource Manager endpoint knob),
// the subscription, and service principal credentials whose tokens come
// from the fake's Entra ID (AZURE_AUTHORITY_HOST).
func (s *Server) AzureEnv() [][2]string {
	az := s.inv.Azure
	return [][2]string{
		{"SKYFORM_AZURE_ENDPOINT", s.URL},
		{"AZURE_SUBSCRIPTION_ID", az.Subscription},
		{"AZURE_TENANT_ID", az.Tenant},
		{"AZURE_CLIENT_ID", "00000000-0000-0000-0000-0000000000c1"},
		{"AZURE_CLIENT_SECRET", "fakecloud-secret"},
		{"AZURE_AUTHORITY_HOST", s.URL},
	}
}

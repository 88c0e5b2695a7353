package fakecloud

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// GCPAccount is a Google Cloud project as skyform doctor reads it: the
// project (Cloud Resource Manager v3), its regions and zones and the
// machine types of each zone (Compute Engine v1), its enabled services
// (Service Usage v1). Requests need a bearer token the fake's token
// endpoint issued for a JWT signed by the service account key
// GCPKeyFile gives, as Google's OAuth endpoint does.
type GCPAccount struct {
	ProjectID     string `json:"project_id"`
	ProjectNumber string `json:"project_number"`
	DisplayName   string `json:"display_name,omitempty"`
	// State is the project's lifecycle state (default ACTIVE).
	State string `json:"state,omitempty"`
	// Regions are each region's zones.
	Regions map[string][]string `json:"regions"`
	// MachineTypes are each zone's machine types.
	MachineTypes map[string][]string `json:"machine_types,omitempty"`
	// Enabled are the service APIs enabled in the project
	// (pubsub.googleapis.com).
	Enabled []string `json:"enabled,omitempty"`
}

// gcpAuth holds the service account key and the tokens issued.
type gcpAuth struct {
	once   sync.Once
	key    *rsa.PrivateKey
	mu     sync.Mutex
	tokens map[string]bool
}

// gcpClientEmail is the fake service account's address.
const gcpClientEmail = "doctor@skyform-test.iam.gserviceaccount.com"

func (s *Server) gcpKey() *rsa.PrivateKey {
	s.gauth.once.Do(func() {
		s.gauth.key, _ = rsa.GenerateKey(rand.Reader, 2048)
		s.gauth.tokens = map[string]bool{}
	})
	return s.gauth.key
}

// GCPKeyFile is a service account key file (for
// GOOGLE_APPLICATION_CREDENTIALS) of the account's project whose token
// endpoint is the fake's.
func (s *Server) GCPKeyFile() []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(s.gcpKey())
	data, _ := json.MarshalIndent(map[string]string{
		"type":           "service_account",
		"project_id":     s.inv.GCPAccount.ProjectID,
		"private_key_id": "fake",
		"private_key":    string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email":   gcpClientEmail,
		"client_id":      "1",
		"token_uri":      s.URL + "/token",
	}, "", "  ")
	return data
}

// serveGCPAccount answers the token endpoint and the account's APIs;
// false when the request is for none of them.
func (s *Server) serveGCPAccount(w http.ResponseWriter, r *http.Request) bool {
	p := r.URL.Path
	if r.Method == http.MethodPost && p == "/token" {
		s.gcpToken(w, r)
		return true
	}
	g := s.inv.GCPAccount
	var version string
	var rest string
	for _, v := range []string{"/compute/v1/", "/v1/", "/v3/"} {
		if r, ok := strings.CutPrefix(p, v); ok {
			version, rest = v, r
			break
		}
	}
	// parts: projects, PROJECT, then the collection and names.
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || parts[0] != "projects" || r.Method != http.MethodGet {
		return false
	}
	var op, service string
	switch {
	case version == "/v3/" && len(parts) == 2:
		op, service = "resourcemanager.projects.get", "cloudresourcemanager.googleapis.com"
	case version == "/v1/" && len(parts) == 3 && parts[2] == "services":
		op, service = "serviceusage.services.list", "serviceusage.googleapis.com"
	case version == "/compute/v1/" && len(parts) == 4 && parts[2] == "regions":
		op, service = "compute.regions.get", "compute.googleapis.com"
	case version == "/compute/v1/" && len(parts) == 6 && parts[2] == "zones" && parts[4] == "machineTypes":
		op, service = "compute.machineTypes.get", "compute.googleapis.com"
	default:
		return false
	}
	resource := rest
	if !s.gcpAuthorized(r) {
		gcpFail(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "", "")
		return true
	}
	switch s.fault(op) {
	case "deny":
		gcpFail(w, http.StatusForbidden, "PERMISSION_DENIED", fmt.Sprintf("Permission '%s' denied on resource '%s' (or it may not exist).", op, resource), "IAM_PERMISSION_DENIED", op)
		return true
	case "throttle":
		gcpFail(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", fmt.Sprintf("Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service '%s' for consumer 'project_number:%s'.", service, g.ProjectNumber), "RATE_LIMIT_EXCEEDED", "")
		return true
	}
	project := parts[1]
	if project != g.ProjectID && project != g.ProjectNumber {
		// Google answers 403 for a project that does not exist, so as not
		// to tell which projects do.
		gcpFail(w, http.StatusForbidden, "PERMISSION_DENIED", fmt.Sprintf("Permission '%s' denied on resource '%s' (or it may not exist).", op, "projects/"+project), "IAM_PERMISSION_DENIED", op)
		return true
	}
	if service != "cloudresourcemanager.googleapis.com" && service != "serviceusage.googleapis.com" && !contains(g.Enabled, service) {
		gcpFail(w, http.StatusForbidden, "PERMISSION_DENIED", fmt.Sprintf("%s has not been used in project %s before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/%s/overview?project=%s then retry.", service, g.ProjectNumber, service, g.ProjectNumber), "SERVICE_DISABLED", "", "service", service, "consumer", "projects/"+g.ProjectNumber)
		return true
	}
	const ct = "application/json; charset=UTF-8"
	self := "https://www.googleapis.com/compute/v1/projects/" + g.ProjectID
	switch op {
	case "resourcemanager.projects.get":
		state := g.State
		if state == "" {
			state = "ACTIVE"
		}
		writeJSON(w, http.StatusOK, ct, map[string]string{"name": "projects/" + g.ProjectNumber, "projectId": g.ProjectID, "displayName": g.DisplayName, "state": state})
	case "serviceusage.services.list":
		if f := r.URL.Query().Get("filter"); f != "" && f != "state:ENABLED" {
			gcpFail(w, http.StatusBadRequest, "INVALID_ARGUMENT", "fakecloud filters by state:ENABLED only", "", "")
			return true
		}
		var all []map[string]any
		for _, name := range g.Enabled {
			all = append(all, map[string]any{"name": "projects/" + g.ProjectNumber + "/services/" + name, "parent": "projects/" + g.ProjectNumber,
				"state": "ENABLED", "config": map[string]string{"name": name}})
		}
		items, next := page(all, r.URL.Query().Get("pageToken"), s.pageSize())
		out := map[string]any{"services": items}
		if next != "" {
			out["nextPageToken"] = next
		}
		writeJSON(w, http.StatusOK, ct, out)
	case "compute.regions.get":
		zones, ok := g.Regions[parts[3]]
		if !ok {
			gcpFail(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("The resource 'projects/%s/regions/%s' was not found", g.ProjectID, parts[3]), "notFound", "")
			return true
		}
		var urls []string
		for _, z := range zones {
			urls = append(urls, self+"/zones/"+z)
		}
		writeJSON(w, http.StatusOK, ct, map[string]any{"kind": "compute#region", "name": parts[3], "status": "UP", "zones": urls, "selfLink": self + "/regions/" + parts[3]})
	case "compute.machineTypes.get":
		zone, name := parts[3], parts[5]
		if !contains(g.MachineTypes[zone], name) {
			gcpFail(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("The resource 'projects/%s/zones/%s/machineTypes/%s' was not found", g.ProjectID, zone, name), "notFound", "")
			return true
		}
		writeJSON(w, http.StatusOK, ct, map[string]any{"kind": "compute#machineType", "name": name, "zone": zone, "selfLink": self + "/zones/" + zone + "/machineTypes/" + name})
	}
	return true
}

// gcpFail writes a Google API error: a google.rpc.Status, with an
// ErrorInfo naming the reason (and the permission refused) and the legacy
// errors list.
func gcpFail(w http.ResponseWriter, code int, status, msg, reason, permission string, metadata ...string) {
	e := map[string]any{"code": code, "message": msg, "status": status}
	if reason != "" {
		info := map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": "googleapis.com"}
		md := map[string]string{}
		if permission != "" {
			md["permission"] = permission
		}
		for i := 0; i+1 < len(metadata); i += 2 {
			md[metadata[i]] = metadata[i+1]
		}
		if len(md) > 0 {
			info["metadata"] = md
		}
		e["details"] = []any{info}
		e["errors"] = []any{map[string]string{"message": msg, "domain": "global", "reason": reason}}
	}
	writeJSON(w, code, "application/json; charset=UTF-8", map[string]any{"error": e})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// gcpToken serves the OAuth token endpoint: a JWT bearer grant signed by
// the service account's key gets an access token.
func (s *Server) gcpToken(w http.ResponseWriter, r *http.Request) {
	const ct = "application/json"
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, ct, map[string]string{"error": "invalid_request", "error_description": err.Error()})
		return
	}
	if g := r.PostForm.Get("grant_type"); g != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		writeJSON(w, http.StatusBadRequest, ct, map[string]string{"error": "unsupported_grant_type", "error_description": g})
		return
	}
	if err := s.gcpVerifyJWT(r.PostForm.Get("assertion")); err != nil {
		writeJSON(w, http.StatusBadRequest, ct, map[string]string{"error": "invalid_grant", "error_description": err.Error()})
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := "fake-" + hex.EncodeToString(b)
	s.gcpKey()
	s.gauth.mu.Lock()
	s.gauth.tokens[tok] = true
	s.gauth.mu.Unlock()
	writeJSON(w, http.StatusOK, ct, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

// gcpVerifyJWT checks a JWT's RS256 signature against the service
// account's key and its issuer.
func (s *Server) gcpVerifyJWT(jwt string) error {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return fmt.Errorf("not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return fmt.Errorf("JWT signature: %v", err)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(&s.gcpKey().PublicKey, crypto.SHA256, sum[:], sig); err != nil {
		return fmt.Errorf("the JWT is not signed by the service account's key")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return fmt.Errorf("JWT claims: %v", err)
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil || claims.Iss != gcpClientEmail {
		return fmt.Errorf("the JWT is not issued by %s", gcpClientEmail)
	}
	return nil
}

// gcpAuthorized tells whether a request carries a token the fake issued
// or a JWT its service account signed (Google's libraries may send a
// self-signed JWT instead of asking for a token).
func (s *Server) gcpAuthorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	s.gcpKey()
	s.gauth.mu.Lock()
	known := s.gauth.tokens[tok]
	s.gauth.mu.Unlock()
	return known || s.gcpVerifyJWT(tok) == nil
}

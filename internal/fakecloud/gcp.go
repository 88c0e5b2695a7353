package fakecloud

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	cloudfunctions "google.golang.org/api/cloudfunctions/v2"
	cloudscheduler "google.golang.org/api/cloudscheduler/v1"
	container "google.golang.org/api/container/v1"
	pubsub "google.golang.org/api/pubsub/v1"
	run "google.golang.org/api/run/v2"
	sqladmin "google.golang.org/api/sqladmin/v1"
)

// GCP is the Google Cloud part of an inventory: one project, its items in
// the JSON shapes of the REST APIs (the google.golang.org/api types, so the
// field names are the API references'). Every GCP API is served at the
// server's root, as the APIs' own paths (v1/projects/...) do not collide.
// Beside a gcp_account (the same project), requests need a token of its
// service account; without one they need none, as an emulator.
type GCP struct {
	// Project is the project id, ProjectNumber its number (Cloud Resource
	// Manager projects.get).
	Project       string `json:"project"`
	ProjectNumber string `json:"projectNumber"`
	// Topics and Subscriptions: Pub/Sub projects.topics.list and
	// projects.subscriptions.list items.
	Topics        []*pubsub.Topic        `json:"topics,omitempty"`
	Subscriptions []*pubsub.Subscription `json:"subscriptions,omitempty"`
	// Functions: Cloud Functions v2 projects.locations.functions.list items.
	Functions []*cloudfunctions.Function `json:"functions,omitempty"`
	// FunctionCode is each function's source (by the function's full
	// name: path → content), served as a zip at the URL
	// generateDownloadUrl gives.
	FunctionCode map[string]map[string]string `json:"functionCode,omitempty"`
	// Services: Cloud Run v2 projects.locations.services.list items.
	Services []*run.GoogleCloudRunV2Service `json:"services,omitempty"`
	// Jobs: Cloud Scheduler projects.locations.jobs.list items.
	Jobs []*cloudscheduler.Job `json:"jobs,omitempty"`
	// Instances: Cloud SQL instances.list items; Databases and Users by
	// instance name: databases.list and users.list items.
	Instances []*sqladmin.DatabaseInstance    `json:"instances,omitempty"`
	Databases map[string][]*sqladmin.Database `json:"databases,omitempty"`
	Users     map[string][]*sqladmin.User     `json:"users,omitempty"`
	// Clusters: GKE projects.locations.clusters.list items, node pools
	// included as the API returns them.
	Clusters []*container.Cluster `json:"clusters,omitempty"`
	// Policies are IAM policies by resource name (projects/p,
	// projects/p/topics/t, projects/p/locations/l/services/s,
	// projects/p/serviceAccounts/email), answered by every API's
	// getIamPolicy; a resource without one has an empty policy.
	Policies map[string]*GCPPolicy `json:"policies,omitempty"`
}

// GCPPolicy is an IAM policy, the same JSON in every Google API.
type GCPPolicy struct {
	Version  int          `json:"version,omitempty"`
	Etag     string       `json:"etag,omitempty"`
	Bindings []GCPBinding `json:"bindings,omitempty"`
}

// GCPBinding is one role's members, with an optional condition.
type GCPBinding struct {
	Role      string        `json:"role"`
	Members   []string      `json:"members"`
	Condition *GCPCondition `json:"condition,omitempty"`
}

// GCPCondition is an IAM condition.
type GCPCondition struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression"`
}

// gcpCodePath is where the fake serves function sources (generateDownloadUrl
// answers a signed Cloud Storage URL).
const gcpCodePath = "/fakecloud/gcf-source/"

// gcpError writes the error body every Google REST API sends: a
// google.rpc.Status with, for a refused permission, an ErrorInfo naming it.
func gcpError(w http.ResponseWriter, code int, status, msg, domain, permission string) {
	e := map[string]any{"code": code, "message": msg, "status": status}
	if permission != "" {
		e["details"] = []any{map[string]any{
			"@type":    "type.googleapis.com/google.rpc.ErrorInfo",
			"reason":   "IAM_PERMISSION_DENIED",
			"domain":   domain,
			"metadata": map[string]string{"permission": permission},
		}}
	}
	writeJSON(w, code, "application/json; charset=UTF-8", map[string]any{"error": e})
}

// gcpOp names the request by the IAM permission it needs, which is how
// throttle_once and deny name GCP operations ("pubsub.topics.list").
func gcpOp(method, p string) (op, domain string) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) < 3 || parts[1] != "projects" {
		return "", ""
	}
	last := parts[len(parts)-1]
	if i := strings.LastIndexByte(last, ':'); i >= 0 {
		verb := last[i+1:]
		kind := parts[len(parts)-2]
		if len(parts) == 3 {
			kind = "projects"
		}
		switch {
		case verb == "getIamPolicy" && kind == "topics":
			return "pubsub.topics.getIamPolicy", "pubsub.googleapis.com"
		case verb == "getIamPolicy" && kind == "subscriptions":
			return "pubsub.subscriptions.getIamPolicy", "pubsub.googleapis.com"
		case verb == "getIamPolicy" && kind == "services":
			return "run.services.getIamPolicy", "run.googleapis.com"
		case verb == "getIamPolicy" && kind == "serviceAccounts":
			return "iam.serviceAccounts.getIamPolicy", "iam.googleapis.com"
		case verb == "getIamPolicy" && kind == "projects":
			return "resourcemanager.projects.getIamPolicy", "cloudresourcemanager.googleapis.com"
		case verb == "generateDownloadUrl":
			return "cloudfunctions.functions.sourceCodeGet", "cloudfunctions.googleapis.com"
		}
		return "", ""
	}
	if method != http.MethodGet {
		return "", ""
	}
	switch v, n := parts[0], len(parts); {
	case v == "v3" && n == 3:
		return "resourcemanager.projects.get", "cloudresourcemanager.googleapis.com"
	case v == "v1" && n == 4 && last == "topics":
		return "pubsub.topics.list", "pubsub.googleapis.com"
	case v == "v1" && n == 4 && last == "subscriptions":
		return "pubsub.subscriptions.list", "pubsub.googleapis.com"
	case v == "v2" && n == 6 && last == "functions":
		return "cloudfunctions.functions.list", "cloudfunctions.googleapis.com"
	case v == "v2" && n == 6 && last == "services":
		return "run.services.list", "run.googleapis.com"
	case v == "v1" && n == 6 && last == "jobs":
		return "cloudscheduler.jobs.list", "cloudscheduler.googleapis.com"
	case v == "v1" && n == 4 && last == "instances":
		return "cloudsql.instances.list", "sqladmin.googleapis.com"
	case v == "v1" && n == 6 && last == "databases":
		return "cloudsql.databases.list", "sqladmin.googleapis.com"
	case v == "v1" && n == 6 && last == "users":
		return "cloudsql.users.list", "sqladmin.googleapis.com"
	case v == "v1" && n == 6 && last == "clusters":
		return "container.clusters.list", "container.googleapis.com"
	}
	return "", ""
}

func (s *Server) serveGCP(w http.ResponseWriter, r *http.Request) bool {
	g := s.inv.GCP
	p := r.URL.EscapedPath()
	if strings.HasPrefix(p, gcpCodePath) {
		name, _ := url.PathUnescape(strings.TrimPrefix(p, gcpCodePath))
		s.gcpCode(w, r, strings.TrimSuffix(name, ".zip"))
		return true
	}
	path, err := url.PathUnescape(p)
	if err != nil {
		return false
	}
	op, domain := gcpOp(r.Method, path)
	if op == "" {
		return false
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	resource := strings.Join(parts[1:], "/")
	if s.inv.GCPAccount != nil && !s.gcpAuthorized(r) {
		// With an account, requests need its tokens (gcp_doctor.go).
		gcpError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", "", "")
		return true
	}
	switch s.fault(op) {
	case "deny":
		// A list is refused on its parent, another call on its resource.
		on := strings.SplitN(resource, ":", 2)[0]
		if strings.HasSuffix(op, ".list") {
			on = on[:strings.LastIndexByte(on, '/')]
		}
		gcpError(w, http.StatusForbidden, "PERMISSION_DENIED",
			fmt.Sprintf("Permission '%s' denied on resource '%s' (or it may not exist).", op, on), domain, op)
		return true
	case "throttle":
		gcpError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED",
			fmt.Sprintf("Quota exceeded for quota metric 'Read requests' of service '%s' for consumer 'project_number:%s'.", domain, g.ProjectNumber), "", "")
		return true
	}
	if project, _, _ := strings.Cut(parts[2], ":"); project != g.Project {
		gcpError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Project '%s' not found.", project), "", "")
		return true
	}
	ct := "application/json; charset=UTF-8"
	token := r.URL.Query().Get("pageToken")
	size := s.pageSize()
	if strings.HasSuffix(resource, ":generateDownloadUrl") {
		name := strings.TrimSuffix(resource, ":generateDownloadUrl")
		if _, ok := g.FunctionCode[name]; !ok {
			gcpError(w, http.StatusNotFound, "NOT_FOUND", "Function "+name+" has no source.", "", "")
			return true
		}
		writeJSON(w, 200, ct, &cloudfunctions.GenerateDownloadUrlResponse{DownloadUrl: s.URL + gcpCodePath + url.PathEscape(name) + ".zip?X-Goog-Signature=fake"})
		return true
	}
	if strings.HasSuffix(resource, ":getIamPolicy") {
		pol := g.Policies[strings.TrimSuffix(resource, ":getIamPolicy")]
		if pol == nil {
			pol = &GCPPolicy{Etag: "ACAB"}
		}
		writeJSON(w, 200, ct, pol)
		return true
	}
	switch op {
	case "resourcemanager.projects.get":
		writeJSON(w, 200, ct, map[string]string{"name": "projects/" + g.ProjectNumber, "projectId": g.Project, "state": "ACTIVE"})
	case "pubsub.topics.list":
		items, next := page(g.Topics, token, size)
		writeJSON(w, 200, ct, &pubsub.ListTopicsResponse{Topics: items, NextPageToken: next})
	case "pubsub.subscriptions.list":
		items, next := page(g.Subscriptions, token, size)
		writeJSON(w, 200, ct, &pubsub.ListSubscriptionsResponse{Subscriptions: items, NextPageToken: next})
	case "cloudfunctions.functions.list":
		var in []*cloudfunctions.Function
		for _, f := range g.Functions {
			if strings.HasPrefix(f.Name, resource[:len(resource)-len("functions")]) {
				in = append(in, f)
			}
		}
		items, next := page(in, token, size)
		writeJSON(w, 200, ct, &cloudfunctions.ListFunctionsResponse{Functions: items, NextPageToken: next})
	case "run.services.list":
		var in []*run.GoogleCloudRunV2Service
		for _, sv := range g.Services {
			if strings.HasPrefix(sv.Name, resource[:len(resource)-len("services")]) {
				in = append(in, sv)
			}
		}
		items, next := page(in, token, size)
		writeJSON(w, 200, ct, &run.GoogleCloudRunV2ListServicesResponse{Services: items, NextPageToken: next})
	case "cloudscheduler.jobs.list":
		var in []*cloudscheduler.Job
		for _, j := range g.Jobs {
			if strings.HasPrefix(j.Name, resource[:len(resource)-len("jobs")]) {
				in = append(in, j)
			}
		}
		items, next := page(in, token, size)
		writeJSON(w, 200, ct, &cloudscheduler.ListJobsResponse{Jobs: items, NextPageToken: next})
	case "cloudsql.instances.list":
		items, next := page(g.Instances, token, size)
		writeJSON(w, 200, ct, &sqladmin.InstancesListResponse{Items: items, NextPageToken: next, Kind: "sql#instancesList"})
	case "cloudsql.databases.list":
		writeJSON(w, 200, ct, &sqladmin.DatabasesListResponse{Items: g.Databases[parts[4]], Kind: "sql#databasesList"})
	case "cloudsql.users.list":
		writeJSON(w, 200, ct, &sqladmin.UsersListResponse{Items: g.Users[parts[4]], Kind: "sql#usersList"})
	case "container.clusters.list":
		// GKE lists every cluster of the project at once, without paging.
		var in []*container.Cluster
		for _, c := range g.Clusters {
			if parts[4] == "-" || c.Location == parts[4] {
				in = append(in, c)
			}
		}
		writeJSON(w, 200, ct, &container.ListClustersResponse{Clusters: in})
	default:
		return false
	}
	return true
}

func (s *Server) gcpCode(w http.ResponseWriter, r *http.Request, name string) {
	files, ok := s.inv.GCP.FunctionCode[name]
	if !ok || r.URL.Query().Get("X-Goog-Signature") == "" {
		http.Error(w, "<Error><Code>AccessDenied</Code></Error>", http.StatusForbidden)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fw, _ := zw.Create(p)
		io.WriteString(fw, files[p])
	}
	zw.Close()
	w.Header().Set("Content-Type", "application/zip")
	w.Write(buf.Bytes())
}

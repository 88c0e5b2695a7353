package fakecloud

import (
	"net/http"
	"strings"
)

// AzureAccount is the subscription as skyform doctor reads it: its name
// and state, its locations, and the Compute resource SKUs (the items of
// Resource SKUs - List, restrictions included) it may use.
type AzureAccount struct {
	SubscriptionName string `json:"subscription_name,omitempty"`
	// SubscriptionState is Enabled unless set (Disabled, Warned, ...).
	SubscriptionState string   `json:"subscription_state,omitempty"`
	Locations         []string `json:"locations,omitempty"`
	// SKUs are ResourceSku objects as Resource Manager returns them.
	SKUs []map[string]any `json:"skus,omitempty"`
	// FlexibleServerSKUs are the database SKUs each flexible server
	// engine (postgres, mysql) offers in each location, as
	// EDITION/NAME (GeneralPurpose/Standard_D2ads_v5); a location absent
	// is one where the subscription may not create servers.
	FlexibleServerSKUs map[string]map[string][]string `json:"flexible_server_skus,omitempty"`
}

// serveAzureAccount answers the subscription, its locations and its
// Compute SKUs (with $filter=location eq '...'), paged by nextLink;
// false for any other request.
func (s *Server) serveAzureAccount(w http.ResponseWriter, r *http.Request) bool {
	az := s.inv.Azure
	lp := strings.ToLower(strings.TrimRight(r.URL.Path, "/"))
	sub := "/subscriptions/" + strings.ToLower(az.Subscription)
	var op string
	switch {
	case r.Method != http.MethodGet:
		return false
	case lp == "/subscriptions":
		op = "Microsoft.Resources/subscriptions/read"
	case lp == sub:
		op = "Microsoft.Resources/subscriptions/read"
	case lp == sub+"/locations":
		op = "Microsoft.Resources/subscriptions/locations/read"
	case lp == sub+"/providers/microsoft.compute/skus":
		op = "Microsoft.Compute/skus/read"
	case strings.HasPrefix(lp, sub+"/providers/microsoft.dbforpostgresql/locations/") && strings.HasSuffix(lp, "/capabilities"):
		op = "Microsoft.DBforPostgreSQL/locations/capabilities/read"
	case strings.HasPrefix(lp, sub+"/providers/microsoft.dbformysql/locations/") && strings.HasSuffix(lp, "/capabilities"):
		op = "Microsoft.DBforMySQL/locations/capabilities/read"
	case strings.HasPrefix(lp, "/subscriptions/") && strings.Count(lp, "/") == 2:
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			azureError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
			return true
		}
		azureError(w, http.StatusNotFound, "SubscriptionNotFound", "The subscription '"+r.URL.Path[len("/subscriptions/"):]+"' could not be found.")
		return true
	default:
		return false
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
		azureError(w, http.StatusUnauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
		return true
	}
	if s.azureFault(w, op, r.URL.Path) {
		return true
	}
	state := az.SubscriptionState
	if state == "" {
		state = "Enabled"
	}
	subscription := map[string]any{"id": "/subscriptions/" + az.Subscription, "subscriptionId": az.Subscription, "tenantId": az.Tenant,
		"displayName": az.SubscriptionName, "state": state}
	switch {
	case lp == "/subscriptions":
		s.azureList(w, r, []map[string]any{subscription})
	case lp == sub:
		writeJSON(w, http.StatusOK, "application/json; charset=utf-8", subscription)
	case lp == sub+"/locations":
		var items []map[string]any
		for _, l := range az.Locations {
			items = append(items, map[string]any{"id": "/subscriptions/" + az.Subscription + "/locations/" + l, "name": l, "type": "Region"})
		}
		s.azureList(w, r, items)
	case strings.HasSuffix(lp, "/capabilities"):
		s.flexibleCapabilities(w, r, lp)
	default:
		filter := r.URL.Query().Get("$filter")
		loc, ok := strings.CutPrefix(filter, "location eq '")
		loc = strings.TrimSuffix(loc, "'")
		if filter != "" && !ok {
			azureError(w, http.StatusBadRequest, "InvalidFilter", "fakecloud filters Resource SKUs by location only")
			return true
		}
		var items []map[string]any
		for _, sku := range az.SKUs {
			ls, _ := sku["locations"].([]any)
			for _, l := range ls {
				if s, _ := l.(string); loc == "" || strings.EqualFold(s, loc) {
					items = append(items, sku)
					break
				}
			}
		}
		s.azureList(w, r, items)
	}
	return true
}

// flexibleCapabilities answers a location's capabilities in each engine's
// own shape: PostgreSQL (2025-08-01) lists editions with their SKUs,
// MySQL (2021-05-01) editions with versions with SKUs.
func (s *Server) flexibleCapabilities(w http.ResponseWriter, r *http.Request, lp string) {
	parts := strings.Split(lp, "/")
	loc := parts[len(parts)-2]
	engine := "postgres"
	if strings.Contains(lp, "microsoft.dbformysql") {
		engine = "mysql"
	}
	editions := map[string][]map[string]any{}
	var order []string
	for _, es := range s.inv.Azure.FlexibleServerSKUs[engine][loc] {
		ed, name, _ := strings.Cut(es, "/")
		if _, ok := editions[ed]; !ok {
			order = append(order, ed)
		}
		sku := map[string]any{"name": name, "vCores": 2}
		if engine == "postgres" {
			sku["status"] = "Available"
		}
		editions[ed] = append(editions[ed], sku)
	}
	var eds []any
	for _, ed := range order {
		if engine == "postgres" {
			eds = append(eds, map[string]any{"name": ed, "status": "Available", "supportedServerSkus": editions[ed]})
		} else {
			eds = append(eds, map[string]any{"name": ed, "supportedServerVersions": []any{map[string]any{"name": "8.0.21", "supportedSkus": editions[ed]}}})
		}
	}
	var items []map[string]any
	if engine == "postgres" {
		items = []map[string]any{{"name": "FlexibleServerCapabilities", "status": "Available", "supportedServerEditions": eds}}
	} else {
		for _, zone := range []string{"none", "1"} {
			items = append(items, map[string]any{"zone": zone, "supportedFlexibleServerEditions": eds})
		}
	}
	if eds == nil {
		items = nil
	}
	s.azureList(w, r, items)
}

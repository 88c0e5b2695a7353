package fakecloud

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// AWSAccount is what an account says of itself: who the caller is, its
// regions and what each region offers. The region of a request is the one
// its SigV4 signature is scoped to, as on AWS, where each region has its
// own endpoint.
type AWSAccount struct {
	// CallerARN is GetCallerIdentity's Arn (default: a user "reader" of the
	// account).
	CallerARN string `json:"caller_arn,omitempty"`
	// Regions are DescribeRegions's answer with AllRegions.
	Regions []EC2Region `json:"regions,omitempty"`
	// InstanceTypes are the EC2 instance types offered in each region.
	InstanceTypes map[string][]string `json:"instance_types,omitempty"`
	// OrderableDBInstances are RDS's orderable options in each region.
	OrderableDBInstances map[string][]OrderableDBInstance `json:"orderable_db_instances,omitempty"`
	// RevokedKeys are access key IDs STS no longer accepts.
	RevokedKeys []string `json:"revoked_keys,omitempty"`
}

// EC2Region is a DescribeRegions item.
type EC2Region struct {
	RegionName  string `json:"RegionName" xml:"regionName"`
	OptInStatus string `json:"OptInStatus" xml:"optInStatus"`
	Endpoint    string `json:"-" xml:"regionEndpoint"`
}

// OrderableDBInstance is one OrderableDBInstanceOption.
type OrderableDBInstance struct {
	Engine          string `json:"Engine" xml:"Engine"`
	EngineVersion   string `json:"EngineVersion" xml:"EngineVersion"`
	DBInstanceClass string `json:"DBInstanceClass" xml:"DBInstanceClass"`
}

var sigv4Scope = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([a-z0-9-]+)/([a-z0-9-]+)/aws4_request`)

// query answers the AWS query protocol (form-encoded POSTs): STS and EC2
// here, RDS's instances in aws.go. The API version tells the services
// apart, as each has its own.
func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	region := ""
	if m := sigv4Scope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[2]
	}
	switch {
	case form.Get("Version") == "2011-06-15":
		s.sts(w, r, form)
	case form.Get("Version") == "2016-11-15":
		s.ec2(w, r, form, region)
	case form.Get("Action") == "DescribeOrderableDBInstanceOptions":
		s.rdsOrderable(w, form, region)
	default:
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.rds(w, r)
	}
}

func (s *Server) callerARN() string {
	if s.inv.AWS.CallerARN != "" {
		return s.inv.AWS.CallerARN
	}
	return "arn:aws:iam::" + s.inv.AWS.Account + ":user/reader"
}

// queryError writes the query protocol's error document (STS, RDS).
func queryError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>", code, xmlEscape(msg))
}

func writeXML(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "text/xml")
	w.Write([]byte(xml.Header))
	xml.NewEncoder(w).Encode(v)
}

// sts serves GetCallerIdentity: the query protocol answering XML. A
// request without a SigV4 signature is refused as STS refuses it.
func (s *Server) sts(w http.ResponseWriter, r *http.Request, form url.Values) {
	action := form.Get("Action")
	switch s.fault("sts:" + action) {
	case "deny":
		queryError(w, http.StatusForbidden, "AccessDenied", s.denyMessage("sts:"+action))
		return
	case "throttle":
		queryError(w, http.StatusBadRequest, "Throttling", "Rate exceeded")
		return
	}
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ") {
		queryError(w, http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
		return
	}
	if m := sigv4Scope.FindStringSubmatch(r.Header.Get("Authorization")); m != nil && contains(s.inv.AWS.RevokedKeys, m[1]) {
		queryError(w, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}
	if action != "GetCallerIdentity" {
		queryError(w, http.StatusBadRequest, "InvalidAction", "fakecloud does not serve "+action)
		return
	}
	type result struct {
		Arn     string `xml:"Arn"`
		UserID  string `xml:"UserId"`
		Account string `xml:"Account"`
	}
	writeXML(w, struct {
		XMLName xml.Name `xml:"GetCallerIdentityResponse"`
		Xmlns   string   `xml:"xmlns,attr"`
		Result  result   `xml:"GetCallerIdentityResult"`
		Request string   `xml:"ResponseMetadata>RequestId"`
	}{Xmlns: "https://sts.amazonaws.com/doc/2011-06-15/", Result: result{s.callerARN(), "AIDAFAKE", s.inv.AWS.Account}, Request: "fake"})
}

// ec2 serves DescribeRegions and DescribeInstanceTypeOfferings: EC2's own
// query protocol, with lower-case XML members and its own error document.
func (s *Server) ec2(w http.ResponseWriter, r *http.Request, form url.Values, region string) {
	action := form.Get("Action")
	fail := func(status int, code, msg string) {
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>fake</RequestID></Response>", code, xmlEscape(msg))
	}
	switch s.fault("ec2:" + action) {
	case "deny":
		fail(http.StatusForbidden, "UnauthorizedOperation", "You are not authorized to perform this operation. "+s.denyMessage("ec2:"+action))
		return
	case "throttle":
		fail(http.StatusServiceUnavailable, "RequestLimitExceeded", "Request limit exceeded.")
		return
	}
	const xmlns = "http://ec2.amazonaws.com/doc/2016-11-15/"
	switch action {
	case "DescribeRegions":
		var regions []EC2Region
		for _, rg := range s.inv.AWS.Regions {
			if form.Get("AllRegions") != "true" && rg.OptInStatus == "not-opted-in" {
				continue
			}
			rg.Endpoint = "ec2." + rg.RegionName + ".amazonaws.com"
			regions = append(regions, rg)
		}
		writeXML(w, struct {
			XMLName xml.Name    `xml:"DescribeRegionsResponse"`
			Xmlns   string      `xml:"xmlns,attr"`
			Request string      `xml:"requestId"`
			Regions []EC2Region `xml:"regionInfo>item"`
		}{Xmlns: xmlns, Request: "fake", Regions: regions})
	case "DescribeInstanceTypeOfferings":
		if lt := form.Get("LocationType"); lt != "" && lt != "region" {
			fail(http.StatusBadRequest, "InvalidParameterValue", "fakecloud serves LocationType region only")
			return
		}
		want := map[string]bool{}
		for i := 1; ; i++ {
			name := form.Get(fmt.Sprintf("Filter.%d.Name", i))
			if name == "" {
				break
			}
			if name != "instance-type" {
				fail(http.StatusBadRequest, "InvalidParameterValue", "fakecloud filters by instance-type only, not "+name)
				return
			}
			for j := 1; form.Has(fmt.Sprintf("Filter.%d.Value.%d", i, j)); j++ {
				want[form.Get(fmt.Sprintf("Filter.%d.Value.%d", i, j))] = true
			}
		}
		type offering struct {
			InstanceType string `xml:"instanceType"`
			LocationType string `xml:"locationType"`
			Location     string `xml:"location"`
		}
		var all []offering
		for _, t := range s.inv.AWS.InstanceTypes[region] {
			if len(want) == 0 || want[t] {
				all = append(all, offering{t, "region", region})
			}
		}
		items, next := page(all, form.Get("NextToken"), s.pageSize())
		writeXML(w, struct {
			XMLName   xml.Name   `xml:"DescribeInstanceTypeOfferingsResponse"`
			Xmlns     string     `xml:"xmlns,attr"`
			Request   string     `xml:"requestId"`
			Offerings []offering `xml:"instanceTypeOfferingSet>item"`
			NextToken string     `xml:"nextToken,omitempty"`
		}{Xmlns: xmlns, Request: "fake", Offerings: items, NextToken: next})
	default:
		fail(http.StatusBadRequest, "InvalidAction", "fakecloud does not serve "+action)
	}
}

// rdsOrderable serves DescribeOrderableDBInstanceOptions, filtered by
// engine, version and class as RDS filters, paged by Marker.
func (s *Server) rdsOrderable(w http.ResponseWriter, form url.Values, region string) {
	const action = "DescribeOrderableDBInstanceOptions"
	switch s.fault("rds:" + action) {
	case "deny":
		queryError(w, http.StatusForbidden, "AccessDenied", s.denyMessage("rds:"+action))
		return
	case "throttle":
		queryError(w, http.StatusBadRequest, "Throttling", "Rate exceeded")
		return
	}
	if form.Get("Engine") == "" {
		queryError(w, http.StatusBadRequest, "MissingParameter", "The request must contain the parameter Engine")
		return
	}
	var all []OrderableDBInstance
	for _, o := range s.inv.AWS.OrderableDBInstances[region] {
		if o.Engine != form.Get("Engine") ||
			(form.Get("EngineVersion") != "" && o.EngineVersion != form.Get("EngineVersion")) ||
			(form.Get("DBInstanceClass") != "" && o.DBInstanceClass != form.Get("DBInstanceClass")) {
			continue
		}
		all = append(all, o)
	}
	items, next := page(all, form.Get("Marker"), s.pageSize())
	type result struct {
		Options []OrderableDBInstance `xml:"OrderableDBInstanceOptions>OrderableDBInstanceOption"`
		Marker  string                `xml:"Marker,omitempty"`
	}
	writeXML(w, struct {
		XMLName xml.Name `xml:"DescribeOrderableDBInstanceOptionsResponse"`
		Xmlns   string   `xml:"xmlns,attr"`
		Result  result   `xml:"DescribeOrderableDBInstanceOptionsResult"`
		Request string   `xml:"ResponseMetadata>RequestId"`
	}{Xmlns: "http://rds.amazonaws.com/doc/2014-10-31/", Result: result{items, next}, Request: "fake"})
}

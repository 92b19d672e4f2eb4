{{/*
Chart name, truncated to the 63-character DNS label limit.
*/}}
{{- define "certctl.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name. When the release name already contains the chart
name it is used as is (so `helm install certctl ...` gives "certctl", not
"certctl-certctl"). Component suffixes ("-server", "-postgresql", ...) are
appended by the templates, so leave room for them.
*/}}
{{- define "certctl.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 50 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
helm.sh/chart label value.
*/}}
{{- define "certctl.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Common labels for one component.
Usage: include "certctl.labels" (dict "ctx" $ "component" "server")
*/}}
{{- define "certctl.labels" -}}
helm.sh/chart: {{ include "certctl.chart" .ctx }}
{{ include "certctl.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: certctl
{{- end }}

{{/*
Selector labels for one component: name + instance + component.
Usage: include "certctl.selectorLabels" (dict "ctx" $ "component" "server")
*/}}
{{- define "certctl.selectorLabels" -}}
app.kubernetes.io/name: {{ include "certctl.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Object names.
*/}}
{{- define "certctl.server.fullname" -}}
{{- printf "%s-server" (include "certctl.fullname" .) }}
{{- end }}

{{- define "certctl.agent.fullname" -}}
{{- printf "%s-agent" (include "certctl.fullname" .) }}
{{- end }}

{{- define "certctl.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "certctl.fullname" .) }}
{{- end }}

{{/*
ServiceAccount used by the server and agent pods.
*/}}
{{- define "certctl.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "certctl.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Image reference: repository:tag, falling back to the chart appVersion.
Usage: include "certctl.image" (dict "image" .Values.server.image "ctx" $)
*/}}
{{- define "certctl.image" -}}
{{- printf "%s:%s" .image.repository (.image.tag | default .ctx.Chart.AppVersion | toString) }}
{{- end }}

{{/*
Secret holding the API auth secret (key: auth-secret).
*/}}
{{- define "certctl.authSecretName" -}}
{{- if .Values.server.auth.existingSecret }}
{{- .Values.server.auth.existingSecret }}
{{- else }}
{{- printf "%s-auth" (include "certctl.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Secret holding the agent bootstrap token (key: agentBootstrapToken.key).
*/}}
{{- define "certctl.agentBootstrapSecretName" -}}
{{- if .Values.agentBootstrapToken.existingSecret }}
{{- .Values.agentBootstrapToken.existingSecret }}
{{- else }}
{{- printf "%s-agent-bootstrap" (include "certctl.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Secret holding the bundled PostgreSQL password (key: postgres-password).
*/}}
{{- define "certctl.postgresql.secretName" -}}
{{- if .Values.postgresql.auth.existingSecret }}
{{- .Values.postgresql.auth.existingSecret }}
{{- else }}
{{- include "certctl.postgresql.fullname" . }}
{{- end }}
{{- end }}

{{/*
A generated secret value, base64-encoded, stable across upgrades: reuse the
value already stored in the cluster (lookup) and only generate a new one
(randAlphaNum) when the Secret or the key does not exist yet. `helm template`
and `--dry-run` have no cluster access, so they always show a fresh value.
Usage: include "certctl.generatedSecretValue" (dict "ctx" $ "name" "x" "key" "y" "length" 48)
*/}}
{{- define "certctl.generatedSecretValue" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .name }}
{{- $data := dict }}
{{- if $existing }}
{{- $data = $existing.data | default dict }}
{{- end }}
{{- if and (hasKey $data .key) (index $data .key) }}
{{- index $data .key }}
{{- else }}
{{- randAlphaNum (int .length) | b64enc }}
{{- end }}
{{- end }}

{{/*
Server URL the agents dial: the in-cluster server Service (same namespace).
*/}}
{{- define "certctl.serverURL" -}}
{{- printf "https://%s:%d" (include "certctl.server.fullname" .) (.Values.server.service.port | int) }}
{{- end }}

{{/*
A scalar value rendered as the string a container sees. Helm decodes YAML
numbers as float64, so 1048576 would otherwise print as 1.048576e+06 (which
certctl would then silently replace by its default).
*/}}
{{- define "certctl.envString" -}}
{{- if kindIs "float64" . }}
{{- if eq . (floor .) }}
{{- int64 . | toString }}
{{- else }}
{{- toString . }}
{{- end }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/*
Fixed paths of the mounted server TLS Secret.
*/}}
{{- define "certctl.server.tlsMountPath" -}}
/etc/certctl/tls
{{- end }}

{{/*
Where the agents find the server's CA bundle.
*/}}
{{- define "certctl.agent.caMountPath" -}}
/etc/certctl/ca
{{- end }}

{{/*
How the server gets its TLS certificate: "existingSecret", "certManager" or
"selfSigned". Exactly one must be chosen: certctl has no self-signed fallback
and refuses to start without a certificate, so rendering fails otherwise.
*/}}
{{- define "certctl.server.tlsSource" -}}
{{- $tls := .Values.server.tls }}
{{- $chosen := list }}
{{- if $tls.existingSecret }}{{ $chosen = append $chosen "existingSecret" }}{{ end }}
{{- if dig "certManager" "issuerRef" "name" "" $tls }}{{ $chosen = append $chosen "certManager" }}{{ end }}
{{- if $tls.selfSigned }}{{ $chosen = append $chosen "selfSigned" }}{{ end }}
{{- if eq (len $chosen) 0 }}
{{- fail "server.tls: the certctl server serves HTTPS only and refuses to start without a certificate (there is no self-signed fallback). Set one of server.tls.existingSecret (an existing kubernetes.io/tls Secret, e.g. -f charts/certctl/values-tls.yaml), server.tls.certManager.issuerRef.name (a cert-manager Issuer or ClusterIssuer; the chart creates the Certificate) or, for demos only, server.tls.selfSigned=true" }}
{{- else if gt (len $chosen) 1 }}
{{- fail (printf "server.tls: set only one of server.tls.existingSecret, server.tls.certManager.issuerRef.name and server.tls.selfSigned (got %s)" (join ", " $chosen)) }}
{{- end }}
{{- first $chosen }}
{{- end }}

{{/*
The Secret holding the server certificate (tls.crt, tls.key).
*/}}
{{- define "certctl.server.tlsSecretName" -}}
{{- if eq (include "certctl.server.tlsSource" .) "existingSecret" }}
{{- .Values.server.tls.existingSecret }}
{{- else }}
{{- printf "%s-server-tls" (include "certctl.fullname" .) }}
{{- end }}
{{- end }}

{{/*
The in-cluster DNS names of the server Service, for generated certificates.
*/}}
{{- define "certctl.server.dnsNames" -}}
{{- $svc := include "certctl.server.fullname" . }}
{{- $ns := .Release.Namespace }}
{{- list $svc (printf "%s.%s" $svc $ns) (printf "%s.%s.svc" $svc $ns) (printf "%s.%s.svc.cluster.local" $svc $ns) | toJson }}
{{- end }}

{{/*
Secret holding the agents' API key ("api-key") and the server's whole
CERTCTL_API_KEYS_NAMED value ("api-keys-named").
*/}}
{{- define "certctl.agentApiKeySecretName" -}}
{{- if .Values.agent.apiKey.existingSecret }}
{{- .Values.agent.apiKey.existingSecret }}
{{- else }}
{{- printf "%s-agent-api-key" (include "certctl.fullname" .) }}
{{- end }}
{{- end }}

{{/*
Secret holding the CA bundle the agents trust.
*/}}
{{- define "certctl.agent.caSecretName" -}}
{{- if .Values.agent.serverCA.existingSecret }}
{{- .Values.agent.serverCA.existingSecret }}
{{- else }}
{{- include "certctl.server.tlsSecretName" . }}
{{- end }}
{{- end }}

{{/*
An IntOrString field (minAvailable, maxUnavailable): numbers render as
integers, strings ("50%") render quoted.
*/}}
{{- define "certctl.intOrString" -}}
{{- if kindIs "string" . }}
{{- . | quote }}
{{- else }}
{{- include "certctl.envString" . }}
{{- end }}
{{- end }}

{{/*
The certctl release the gate judges (certgate env --certctl-version):
gate.certctlVersion, else the server image tag without a leading "v", else the
chart's appVersion.
*/}}
{{- define "certctl.gate.certctlVersion" -}}
{{- .Values.gate.certctlVersion | default (.Values.server.image.tag | default .Chart.AppVersion | toString | trimPrefix "v") }}
{{- end }}

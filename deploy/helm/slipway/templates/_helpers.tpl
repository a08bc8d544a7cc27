{{/* Chart name, overridable. */}}
{{- define "slipway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name of the release's objects: <release>-slipway, or the release name when it already says slipway. */}}
{{- define "slipway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slipway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "slipway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "slipway.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "slipway.configMapName" -}}
{{- default (include "slipway.fullname" .) .Values.existingConfigMap -}}
{{- end -}}

{{/* "true" when Slipway runs on PostgreSQL; otherwise it opens the embedded PGlite database in its data folder. */}}
{{- define "slipway.usesPostgres" -}}
{{- if or .Values.secrets.databaseUrl.name .Values.postgresql.enabled -}}true{{- end -}}
{{- end -}}

{{/*
Refuses what cannot work: several processes on one embedded database corrupt it (the data folder's lock would
stop all but one, and a ReadWriteOnce volume cannot follow them across nodes).
*/}}
{{- define "slipway.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not (include "slipway.usesPostgres" .)) -}}
{{- fail (printf "replicaCount is %d, but Slipway's embedded database allows one process: set secrets.databaseUrl.name to a Secret holding DATABASE_URL (PostgreSQL), set postgresql.enabled=true, or set replicaCount=1" (int .Values.replicaCount)) -}}
{{- end -}}
{{- end -}}

{{/* NEXTAUTH_URL: publicUrl, else the ingress host. */}}
{{- define "slipway.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* The environment both containers share: where things are, and the database. */}}
{{- define "slipway.env" -}}
- name: SLIPWAY_CONFIG
  value: /etc/slipway/slipway.yaml
- name: SLIPWAY_DATA_DIR
  value: /var/lib/slipway/data
- name: SLIPWAY_CACHE_DIR
  value: /var/lib/slipway/cache
{{- if .Values.secrets.databaseUrl.name }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.secrets.databaseUrl.name }}
      key: {{ .Values.secrets.databaseUrl.key }}
{{- else if .Values.postgresql.enabled }}
# The Bitnami chart generates the password into <release>-postgresql (key "password", alphanumeric: safe in a URL).
- name: POSTGRESQL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ printf "%s-postgresql" .Release.Name }}
      key: password
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(POSTGRESQL_PASSWORD)@%s-postgresql:5432/%s" .Values.postgresql.auth.username .Release.Name .Values.postgresql.auth.database | quote }}
{{- end }}
{{- end -}}

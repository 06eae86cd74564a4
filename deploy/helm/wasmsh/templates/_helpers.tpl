{{/* Names and labels shared by the templates. */}}
{{- define "wasmsh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "wasmsh.fullname" -}}
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

{{- define "wasmsh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "wasmsh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: wasmsh
{{- end -}}

{{/* selector labels of one component: (dict "ctx" $ "component" "runner") */}}
{{- define "wasmsh.selector" -}}
app.kubernetes.io/name: {{ include "wasmsh.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "wasmsh.runner" -}}{{ include "wasmsh.fullname" . }}-runner{{- end -}}
{{- define "wasmsh.dispatcher" -}}{{ include "wasmsh.fullname" . }}-dispatcher{{- end -}}
{{- define "wasmsh.headless" -}}{{ include "wasmsh.fullname" . }}-runner-headless{{- end -}}
{{- define "wasmsh.secret" -}}{{ default (printf "%s-tokens" (include "wasmsh.fullname" .)) .Values.auth.existingSecret }}{{- end -}}

{{- define "wasmsh.image" -}}
{{- $img := index .ctx.Values.image .which -}}
{{- $tag := default .ctx.Chart.AppVersion $img.tag -}}
{{- if .ctx.Values.image.registry -}}
{{ printf "%s/%s:%s" .ctx.Values.image.registry $img.repository $tag }}
{{- else -}}
{{ printf "%s:%s" $img.repository $tag }}
{{- end -}}
{{- end -}}

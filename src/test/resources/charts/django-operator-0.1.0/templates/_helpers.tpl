{{- define "django-operator.name" -}}django-operator{{- end -}}

{{- define "django-operator.labels" -}}
app.kubernetes.io/name: {{ include "django-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{- define "django-operator.selector" -}}
app.kubernetes.io/name: {{ include "django-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The rules the operator needs on the namespaced kinds it touches (see deploy/10-rbac.yaml). */}}
{{- define "django-operator.namespacedRules" -}}
- apiGroups: ["django.operators.dev"]
  resources: ["djangoapps"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["django.operators.dev"]
  resources: ["djangoapps/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["cert-manager.io"]
  resources: ["certificates", "certificaterequests"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["acme.cert-manager.io"]
  resources: ["orders", "challenges"]
  verbs: ["get", "list", "watch"]
- apiGroups: [""]
  resources: ["events"]
  # list: a new leader looks for the Events a crashed one owed (MissedAnnouncements).
  verbs: ["create", "list"]
{{- end -}}

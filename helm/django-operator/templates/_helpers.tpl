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
  verbs: ["get", "list", "watch", "create", "patch", "update"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["batch"]
  resources: ["cronjobs"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
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
  # list: a new leader looks for the Events a crashed one owed (MissedAnnouncements); watch:
  # the FailedCreate Events of Jobs whose pods cannot be created (JobCreateFailures).
  verbs: ["create", "list", "watch"]
{{- end -}}

{{/* Cluster-scoped and read only: whether the class an app's Ingress names exists, and which is the
  cluster's default (IngressClasses). A Role cannot grant it. */}}
{{- define "django-operator.clusterRules" -}}
- apiGroups: ["networking.k8s.io"]
  resources: ["ingressclasses"]
  verbs: ["get", "list", "watch"]
{{- end -}}

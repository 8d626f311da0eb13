module dev.operators/django-operator/real-node/pause

go 1.25.0

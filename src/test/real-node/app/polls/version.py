# Rewritten by build-images.sh for each image: 1, or 2 for the image with one more migration.
VERSION = 2

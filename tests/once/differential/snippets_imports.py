# Importing the package: what is there, what a fresh process loads.

### lazy_models
import subprocess
import sys
code = "import cloudtower, sys; print('cloudtower.models.vm' in sys.modules)"
show(subprocess.check_output([sys.executable, "-c", code], universal_newlines=True).strip())

### import_star_names
import subprocess
import sys
code = "from cloudtower import *; print(all(n in dir() for n in ('VmApi', 'Vm', 'ApiClient', 'Configuration', 'ApiException')))"
show(subprocess.check_output([sys.executable, "-c", code], universal_newlines=True).strip())

### version
import cloudtower
show(isinstance(cloudtower.__version__, str))

### models_package_names
import cloudtower.models as models
show(hasattr(models, "Vm"), hasattr(models, "VmStatus"), hasattr(models, "NoSuchModel"))

### api_package_names
import cloudtower.api as api
show(hasattr(api, "VmApi"), hasattr(api, "NoSuchApi"))

### root_exports_classes
import cloudtower
show([getattr(cloudtower, name).__name__ for name in ("ApiClient", "Configuration", "VmApi", "Vm", "VmStatus", "ApiException")])

### submodules
import cloudtower.api_client, cloudtower.configuration, cloudtower.rest, cloudtower.exceptions, cloudtower.utils
show(cloudtower.api_client.ApiClient.__name__, cloudtower.rest.RESTClientObject.__name__)

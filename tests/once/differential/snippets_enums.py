# Enums: string constants, their classes and instances (issue 7, item 8).

### constant_values
from cloudtower.models import VmStatus
show(VmStatus.RUNNING, VmStatus.STOPPED, VmStatus.RUNNING == "RUNNING", type(VmStatus.RUNNING).__name__)

### allowable_values
from cloudtower.models import VmStatus
show(VmStatus.allowable_values)

### shared_prefix_removed
from cloudtower.models import VmDiskIoPolicy
show(sorted(name for name in dir(VmDiskIoPolicy) if name.isupper()), VmDiskIoPolicy.allowable_values)

### leading_digit
from cloudtower.models import VmVolumeElfStoragePolicyType
show(sorted(name for name in dir(VmVolumeElfStoragePolicyType) if name.lstrip("_")[:1].isdigit() or name.isupper()))

### order_by_constants
from cloudtower.models import VmOrderByInput
show(VmOrderByInput.NAME_ASC, VmOrderByInput.ENTITYASYNCSTATUS_DESC, len(VmOrderByInput.allowable_values))

### content_language_enum
from cloudtower.models import ContentLanguage
show(ContentLanguage.allowable_values, ContentLanguage.ZH_CN)

### enum_instance
from cloudtower.models import VmStatus
status = VmStatus()
show(type(status).__name__, status.to_dict(), status.discriminator)

### enum_instance_repr
from cloudtower.models import VmStatus
show(repr(VmStatus()), str(VmStatus()), VmStatus().to_str())

### enum_instance_equality
from cloudtower.models import VmStatus
show(VmStatus() == VmStatus(), VmStatus() != VmStatus(), VmStatus() == "RUNNING")

### enum_instance_configuration
from cloudtower.models import VmStatus
show(type(VmStatus().local_vars_configuration).__name__)

### enum_instance_keyword
from cloudtower.models import VmStatus
show(attempt(VmStatus, value="RUNNING"))

### enum_types_maps
from cloudtower.models import VmStatus
show(VmStatus.openapi_types, VmStatus.attribute_map)

### enum_in_model
from cloudtower.models import Vm, VmStatus
vm = Vm(status=VmStatus.RUNNING)
show(vm.status, vm.to_dict()["status"])

### enum_compare_decoded
from cloudtower import VmApi
from cloudtower.models import VmStatus
vms = VmApi(client()).get_vms({"where": {"status": VmStatus.RUNNING}, "first": 2})
show([vm.status == VmStatus.RUNNING for vm in vms])

### enum_module_path
from cloudtower.models.vm_status import VmStatus
import cloudtower
show(VmStatus is cloudtower.VmStatus, VmStatus.__module__)

### enum_class_is_type
from cloudtower.models import VmStatus
show(isinstance(VmStatus, type), issubclass(VmStatus, object))

### enum_iterate_allowable
from cloudtower.models import TaskStatus
show([value for value in TaskStatus.allowable_values])

### enum_user_source
from cloudtower.models import UserSource
show(UserSource.LOCAL, UserSource.LDAP, UserSource.AUTHN)

### enum_severity
from cloudtower.models import SeverityEnum as Severity
show(Severity.allowable_values)

# The exception classes themselves, as scripts build, raise, catch and print them.

### hierarchy
from cloudtower import exceptions as e
show([(name, [b.__name__ for b in getattr(e, name).__mro__[1:] if b.__name__ != "object"])
      for name in ("OpenApiException", "ApiTypeError", "ApiValueError", "ApiAttributeError", "ApiKeyError",
                   "ApiException", "NotFoundException", "UnauthorizedException", "ForbiddenException", "ServiceException")])

### root_exports
import cloudtower
show([hasattr(cloudtower, name) for name in ("OpenApiException", "ApiTypeError", "ApiValueError", "ApiKeyError",
                                              "ApiAttributeError", "ApiException")])

### api_exception_constructed
from cloudtower.exceptions import ApiException
error = ApiException(status=418, reason="teapot")
show(error.status, error.reason, error.body, error.headers)

### api_exception_str
from cloudtower.exceptions import ApiException
print(str(ApiException(status=418, reason="teapot")))

### api_exception_no_arguments
from cloudtower.exceptions import ApiException
error = ApiException()
show(error.status, error.reason, str(error))

### api_exception_positional
from cloudtower.exceptions import ApiException
error = ApiException(500, "boom")
show(error.status, error.reason)

### api_exception_http_resp
from cloudtower.exceptions import ApiException
error = ApiException(http_resp=FakeResponse(b'{"message": "m"}', headers={"a": "b"}, status=400, reason="Bad Request"))
show(error.status, error.reason, error.body, error.headers)

### api_exception_http_resp_str
from cloudtower.exceptions import ApiException
print(str(ApiException(http_resp=FakeResponse(b'{"message": "m"}', headers={"a": "b"}, status=400, reason="Bad Request"))))

### api_exception_args
from cloudtower.exceptions import ApiException
show(ApiException(status=1, reason="r").args)

### api_exception_raise_catch
from cloudtower.exceptions import ApiException, NotFoundException
try:
    raise NotFoundException(status=404, reason="missing")
except ApiException as error:
    show(type(error).__name__, error.status)

### subclass_constructors
from cloudtower import exceptions as e
show([(cls.__name__, cls(status=1, reason="r").status) for cls in
      (e.NotFoundException, e.UnauthorizedException, e.ForbiddenException, e.ServiceException)])

### subclass_positional
from cloudtower.exceptions import ServiceException
show(ServiceException(503, "unavailable").reason)

### api_type_error_message
from cloudtower.exceptions import ApiTypeError
show(str(ApiTypeError("bad type")))

### api_type_error_path
from cloudtower.exceptions import ApiTypeError
error = ApiTypeError("bad type", path_to_item=["body", 0, "name"], valid_classes=(str,), key_type=False)
show(str(error), error.path_to_item, error.valid_classes, error.key_type)

### api_value_error_path
from cloudtower.exceptions import ApiValueError
error = ApiValueError("bad value", path_to_item=["a", 1])
show(str(error), error.path_to_item, isinstance(error, ValueError))

### api_key_error_path
from cloudtower.exceptions import ApiKeyError
error = ApiKeyError("missing", path_to_item=["a"])
show(str(error), error.path_to_item, isinstance(error, KeyError))

### api_attribute_error_path
from cloudtower.exceptions import ApiAttributeError
error = ApiAttributeError("no attr", path_to_item=["x", 2])
show(str(error), isinstance(error, AttributeError))

### api_type_error_no_path
from cloudtower.exceptions import ApiTypeError
error = ApiTypeError("m")
show(error.path_to_item, error.valid_classes, error.key_type, error.args)

### render_path
from cloudtower.exceptions import render_path
show(render_path(["a", 0, "b"]), render_path([]))

### exceptions_module_names
from cloudtower import exceptions
show(sorted(name for name in ("OpenApiException", "ApiTypeError", "ApiValueError", "ApiAttributeError", "ApiKeyError",
                              "ApiException", "NotFoundException", "UnauthorizedException", "ForbiddenException",
                              "ServiceException", "render_path") if hasattr(exceptions, name)))

### pickle_api_exception
import pickle
from cloudtower.exceptions import ApiException
error = pickle.loads(pickle.dumps(ApiException(status=400, reason="bad")))
show(type(error).__name__, error.status, error.reason)

### pickle_server_error
import pickle
from cloudtower import VmApi
sim("fault", kind="status", operation="/get-vms", status=404, count=1)
try:
    VmApi(client()).get_vms({"first": 1})
except Exception as error:
    copy = pickle.loads(pickle.dumps(error))
    show(type(copy).__name__, copy.status, copy.reason, copy.body)

### copy_api_exception
import copy
from cloudtower.exceptions import ApiException
error = copy.copy(ApiException(status=400, reason="bad"))
show(error.status, error.reason)

### deepcopy_api_exception
import copy
from cloudtower.exceptions import ApiException
error = copy.deepcopy(ApiException(status=400, reason="bad"))
show(error.status, error.reason)

### pickle_type_error
import pickle
from cloudtower.exceptions import ApiTypeError
error = pickle.loads(pickle.dumps(ApiTypeError("m")))
show(type(error).__name__, str(error))

### repr_api_exception
from cloudtower.exceptions import ApiException
show(repr(ApiException(status=400, reason="bad")))

### api_exception_set_fields
from cloudtower.exceptions import ApiException
error = ApiException(status=400, reason="bad")
error.body = "text"
error.headers = {"a": "b"}
print(str(error))

### status_zero_str
from cloudtower.exceptions import ApiException
print(str(ApiException(status=0, reason="SSLError\nfailed")))

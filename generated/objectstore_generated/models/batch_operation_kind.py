from typing import Literal

BatchOperationKind = Literal["delete", "get", "head", "insert"]

BATCH_OPERATION_KIND_VALUES: set[BatchOperationKind] = {
    "delete",
    "get",
    "head",
    "insert",
}


def check_batch_operation_kind(value: str) -> BatchOperationKind:
    if value in BATCH_OPERATION_KIND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BATCH_OPERATION_KIND_VALUES!r}"
    )

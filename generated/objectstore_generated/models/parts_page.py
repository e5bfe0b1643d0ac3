from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.part_info import PartInfo


T = TypeVar("T", bound="PartsPage")


@_attrs_define
class PartsPage:
    parts: list[PartInfo]
    is_truncated: bool
    next_part_number_marker: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        parts = []
        for parts_item_data in self.parts:
            parts_item = parts_item_data.to_dict()
            parts.append(parts_item)

        is_truncated = self.is_truncated

        next_part_number_marker = self.next_part_number_marker

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "parts": parts,
                "is_truncated": is_truncated,
            }
        )
        if next_part_number_marker is not UNSET:
            field_dict["next_part_number_marker"] = next_part_number_marker

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.part_info import PartInfo  # noqa: PLC0415

        d = dict(src_dict)
        parts = []
        _parts = d.pop("parts")
        for parts_item_data in _parts:
            parts_item = PartInfo.from_dict(parts_item_data)

            parts.append(parts_item)

        is_truncated = d.pop("is_truncated")

        next_part_number_marker = d.pop("next_part_number_marker", UNSET)

        parts_page = cls(
            parts=parts,
            is_truncated=is_truncated,
            next_part_number_marker=next_part_number_marker,
        )

        parts_page.additional_properties = d
        return parts_page

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

"""A JSON response from a response model, serialized once by pydantic.

A route that returns a model lets FastAPI validate it again against its
``response_model`` before serializing it; the hot read routes build the model
themselves (so it is already valid) and return its JSON directly, while their
``response_model`` still documents it.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel, RootModel


def json_response(model: BaseModel | RootModel[object]) -> Response:
    return Response(model.model_dump_json(), media_type="application/json")

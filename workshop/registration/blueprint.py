"""The registration blueprint: the public pages (``views``) and the organizer's screens
(``manage_views``) share it, so their endpoints are all ``registration.*``."""

from flask import Blueprint

bp = Blueprint("registration", __name__)

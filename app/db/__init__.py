"""Database: engine and session factory, SQLModel tables."""

import streamlit as st

st.set_page_config(page_title="nnviz", layout="wide")
st.title("nnviz")
